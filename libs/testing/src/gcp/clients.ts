// How the official Node clients (@google-cloud/asset, @google-cloud/security-center, on
// google-gax 5) are pointed at a plaintext endpoint:
//  - `apiEndpoint` + `port` replace the service address (the clients' `servicePath`/`port`);
//  - `sslCreds` replaces the channel credentials outright: google-gax's GrpcClient
//    `_getCredentials` returns it as given and never asks google-auth-library for a token;
//  - `universeDomain` set explicitly stops GoogleAuth.getUniverseDomain() from looking for
//    Application Default Credentials (and the metadata server) just to learn the universe.
// The same four options are what the production adapter needs when DRIFT_GCP_PLAINTEXT is
// set for a loopback DRIFT_GCP_ENDPOINT.
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';

// A type alias, not an interface: the clients' ClientOptions has an index signature.
export type PlaintextClientOptions = {
  readonly apiEndpoint: string;
  readonly port: number;
  readonly sslCreds: ChannelCredentials;
  readonly universeDomain: 'googleapis.com';
};

/** Client options for `host:port`, without TLS or tokens. */
export function plaintextClientOptions(endpoint: string): PlaintextClientOptions {
  const at = endpoint.lastIndexOf(':');
  return {
    apiEndpoint: endpoint.slice(0, at),
    port: Number(endpoint.slice(at + 1)),
    sslCreds: credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  };
}
