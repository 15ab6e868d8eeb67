import { AssetServiceClient } from '@google-cloud/asset';
import type { ClientOptions } from 'google-gax';
import { v2 as securityCenter } from '@google-cloud/security-center';
import { credentials, InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { isLoopbackHost, parseEndpoint } from './endpoint.js';

/** The Google clients one adapter process talks through. */
export interface GcpClients {
  readonly assets: AssetServiceClient;
  readonly scc: securityCenter.SecurityCenterClient;
  /** Per-attempt deadline of every call, in ms (gax's `timeout` call option). */
  readonly requestTimeoutMs: number;
  close(): Promise<void>;
}

export interface GcpClientSettings {
  /** host:port of both APIs; null: Google's (cloudasset.googleapis.com, securitycenter.googleapis.com). */
  readonly endpoint: string | null;
  /**
   * Plaintext gRPC without tokens: only for a loopback endpoint (a local
   * stand-in or a sidecar proxy that adds TLS and credentials itself).
   */
  readonly plaintext: boolean;
  readonly requestTimeoutMs: number;
}

/** What createGcpClients throws for settings it will not use: the message names the setting. */
export class GcpClientSettingsError extends Error {
  override readonly name = 'GcpClientSettingsError';
}

/**
 * The client options: Application Default Credentials (the clients' own
 * default: the metadata server on Cloud Run, gcloud's login on a
 * workstation, workload identity federation) over TLS, unless a loopback
 * endpoint is explicitly plaintext. Then `sslCreds` replaces the channel
 * credentials outright (google-gax's GrpcClient uses it as given and asks
 * for no token) and a fixed `universeDomain` keeps google-auth-library from
 * looking for credentials just to learn it.
 */
export function gcpClientOptions(settings: GcpClientSettings): ClientOptions {
  if (settings.endpoint === null) {
    if (settings.plaintext) {
      throw new GcpClientSettingsError(
        'plaintext gRPC needs a loopback endpoint (DRIFT_GCP_ENDPOINT)',
      );
    }
    return {};
  }
  let endpoint;
  try {
    endpoint = parseEndpoint(settings.endpoint);
  } catch (error) {
    throw new GcpClientSettingsError((error as Error).message);
  }
  if (!settings.plaintext) return { apiEndpoint: endpoint.host, port: endpoint.port };
  if (!isLoopbackHost(endpoint.host)) {
    throw new GcpClientSettingsError(
      `plaintext gRPC is refused for ${settings.endpoint}: only a loopback endpoint may go without TLS`,
    );
  }
  return {
    apiEndpoint: endpoint.host,
    port: endpoint.port,
    sslCreds: credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  };
}

/** The Cloud Asset and SCC v2 clients, built once per process. */
export function createGcpClients(settings: GcpClientSettings): GcpClients {
  if (!Number.isInteger(settings.requestTimeoutMs) || settings.requestTimeoutMs <= 0) {
    throw new GcpClientSettingsError(
      `request timeout must be a positive whole number of ms, got ${settings.requestTimeoutMs}`,
    );
  }
  const options = gcpClientOptions(settings);
  const assets = new AssetServiceClient(options);
  const scc = new securityCenter.SecurityCenterClient(options);
  return {
    assets,
    scc,
    requestTimeoutMs: settings.requestTimeoutMs,
    async close() {
      await Promise.allSettled([assets.close(), scc.close()]);
    },
  };
}

/**
 * Per-call options: the deadline, the client's own retries off (`retry:
 * null`, google-gax CallSettings) so callGcp's shared backoff is the one
 * policy, and, with a signal, a grpc-js interceptor that cancels the call in
 * flight when it aborts. The generated clients hand back a plain promise (no
 * cancel()), so without it a stopped sweep would keep the process alive until
 * its last call answered or timed out: longer than Cloud Run's grace period.
 * google-gax passes `otherArgs.options` to grpc-js as its CallOptions.
 */
export function callOptions(clients: Pick<GcpClients, 'requestTimeoutMs'>, signal?: AbortSignal) {
  return {
    timeout: clients.requestTimeoutMs,
    retry: null,
    autoPaginate: false,
    ...(signal === undefined
      ? {}
      : { otherArgs: { options: { interceptors: [cancelOn(signal)] } } }),
  } as const;
}

/** An interceptor that cancels its call when the signal aborts (and forgets the signal once the call ends). */
function cancelOn(signal: AbortSignal): Interceptor {
  return (options, nextCall) => {
    const call: InterceptingCall = new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const stop = () => call.cancelWithStatus(status.CANCELLED, 'stopped');
        if (signal.aborted) {
          next(metadata, listener);
          stop();
          return;
        }
        signal.addEventListener('abort', stop, { once: true });
        next(metadata, {
          onReceiveStatus(received, nextStatus) {
            signal.removeEventListener('abort', stop);
            nextStatus(received);
          },
        });
      },
    });
    return call;
  };
}
