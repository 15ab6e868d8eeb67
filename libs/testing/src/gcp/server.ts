// The gRPC side: AssetService and SecurityCenter on one plaintext server, each call run
// through the fault plan and written to the journal. Methods not listed answer
// UNIMPLEMENTED, which grpc-js does for a service implemented in part.
import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { iamPermissionDenied, resourceExhausted, StatusError } from './status.js';
import { ASSET_SERVICE, gcpProtos, SECURITY_CENTER } from './protos.js';
import { permissionOf, requestNames, type GcpFault } from './faults.js';
import { summarize } from './journal.js';
import type { GcpStandInState } from './state.js';

type Handler = (request: Record<string, unknown>) => unknown;

const WRITES = new Set([
  'CreateSource',
  'CreateFinding',
  'UpdateFinding',
  'SetFindingState',
  'SetMute',
]);

const codeName = (code: number): string => status[code] ?? String(code);

function handlers(state: GcpStandInState): Record<string, Record<string, Handler>> {
  const { inventory, scc } = state;
  return {
    [ASSET_SERVICE]: {
      ListAssets: (r) => inventory.list(r),
      BatchGetAssetsHistory: (r) => inventory.history(r),
    },
    [SECURITY_CENTER]: {
      CreateSource: (r) => scc.createSource(r),
      GetSource: (r) => scc.getSource(r),
      ListSources: (r) => scc.listSources(r),
      CreateFinding: (r) => scc.createFinding(r),
      UpdateFinding: (r) => scc.updateFinding(r),
      ListFindings: (r) => scc.listFindings(r),
      SetFindingState: (r) => scc.setFindingState(r),
      SetMute: (r) => scc.setMute(r),
    },
  };
}

function faultError(
  fault: GcpFault,
  method: string,
  request: Record<string, unknown>,
): StatusError | undefined {
  switch (fault.kind) {
    case 'unavailable':
      return new StatusError(status.UNAVAILABLE, 'The service is currently unavailable.');
    case 'resourceExhausted':
      return resourceExhausted(
        'Quota exceeded for quota metric (injected fault).',
        fault.retryDelayMs,
      );
    case 'deadlineExceeded':
      return new StatusError(status.DEADLINE_EXCEEDED, 'Deadline exceeded.');
    case 'permissionDenied':
      return iamPermissionDenied(
        fault.permission ?? permissionOf(method, request),
        requestNames(request)[0] ?? '',
      );
    case 'invalidArgument':
      return new StatusError(
        status.INVALID_ARGUMENT,
        fault.message ?? 'Request contains an invalid argument.',
      );
    default:
      return undefined;
  }
}

export class GcpGrpcServer {
  private readonly server = new Server();
  private readonly counts = new Map<string, number>();

  private drop: (peer: string) => boolean = () => false;

  constructor(private readonly state: GcpStandInState) {
    const protos = gcpProtos();
    for (const [service, methods] of Object.entries(handlers(state))) {
      const definition = protos[service] as unknown as ServiceDefinition;
      const implementation: UntypedServiceImplementation = {};
      for (const [method, handler] of Object.entries(methods)) {
        implementation[method] = this.unary(service, method, handler);
      }
      this.server.addService(definition, implementation);
    }
  }

  private unary(service: string, method: string, handler: Handler) {
    return (
      call: ServerUnaryCall<Record<string, unknown>, unknown>,
      callback: sendUnaryData<unknown>,
    ): void => {
      const key = `${service}/${method}`;
      const index = this.counts.get(key) ?? 0;
      this.counts.set(key, index + 1);
      if (WRITES.has(method)) this.state.writes += 1;
      const request = call.request ?? {};
      let fault: GcpFault | null;
      try {
        fault = this.state.plan({ service, method, index, request });
      } catch (error) {
        // A test's plan that throws is the test's bug: said in the answer and the journal.
        const message = `the fault plan threw: ${(error as Error).message}`;
        this.state.journal.push({
          at: new Date().toISOString(),
          service,
          method,
          request: summarize(request),
          code: status.INTERNAL,
          status: codeName(status.INTERNAL),
          message,
        });
        callback({ code: status.INTERNAL, details: message });
        return;
      }
      const record = (code: number | null, message?: string): void =>
        void this.state.journal.push({
          at: new Date().toISOString(),
          service,
          method,
          request: summarize(request),
          code,
          status: code === null ? 'DROPPED' : codeName(code),
          ...(message === undefined ? {} : { message }),
          ...(fault === null ? {} : { fault: fault.kind }),
        });
      if (fault?.kind === 'drop') {
        record(null);
        this.drop(call.getPeer());
        return;
      }
      const injected = fault === null ? undefined : faultError(fault, method, request);
      if (injected !== undefined) {
        record(injected.code, injected.message);
        callback({
          code: injected.code,
          details: injected.message,
          ...(injected.metadata ? { metadata: injected.metadata } : {}),
        });
        return;
      }
      const answer = (): void => {
        try {
          const response = handler(call.request);
          record(status.OK);
          callback(null, response);
        } catch (error) {
          if (!(error instanceof StatusError)) {
            record(status.INTERNAL, (error as Error).message);
            callback({ code: status.INTERNAL, details: (error as Error).message });
            return;
          }
          record(error.code, error.message);
          callback({
            code: error.code,
            details: error.message,
            ...(error.metadata ? { metadata: error.metadata } : {}),
          });
        }
      };
      if (fault?.kind === 'delay') setTimeout(answer, fault.ms);
      else answer();
    };
  }

  /** How a `drop` fault cuts a call's connection (the relay in front, relay.ts). */
  dropWith(drop: (peer: string) => boolean): void {
    this.drop = drop;
  }

  /** Listens on a free loopback port, without TLS. */
  async listen(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error === null ? resolve(port) : reject(error),
      ),
    );
  }

  /** Ends every open call too: a delayed answer must not hold the stand-in open. */
  close(): void {
    this.server.forceShutdown();
  }
}
