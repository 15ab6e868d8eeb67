// A gRPC front for the stand-in that plays an IAM deny on some findings: calls that name a
// denied finding id get PERMISSION_DENIED, everything else is passed on byte for byte. The
// official client talks to it unchanged (it is only another endpoint), so a test can see
// one finding refused for good while the rest of its batch is written. Messages are relayed
// as raw bytes; a denied id is found in them as text (32 hex digits never occur by chance).
import {
  Client,
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceError,
} from '@grpc/grpc-js';

const SERVICE = '/google.cloud.securitycenter.v2.SecurityCenter';
const METHODS = [
  'CreateSource',
  'GetSource',
  'ListSources',
  'CreateFinding',
  'UpdateFinding',
  'ListFindings',
  'SetFindingState',
  'SetMute',
];

const same = (bytes: Buffer): Buffer => bytes;

export interface DenyRelay {
  readonly endpoint: string;
  /** Finding ids refused with PERMISSION_DENIED from now on. */
  deny(...ids: string[]): void;
  close(): Promise<void>;
}

export async function startDenyRelay(target: string): Promise<DenyRelay> {
  const denied = new Set<string>();
  const upstream = new Client(target, credentials.createInsecure());
  const server = new Server();
  for (const method of METHODS) {
    const path = `${SERVICE}/${method}`;
    server.register(
      path,
      (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const text = call.request.toString('latin1');
        const hit = [...denied].find((id) => text.includes(`findings/${id}`));
        if (hit !== undefined) {
          callback({
            code: status.PERMISSION_DENIED,
            details: `Permission 'securitycenter.findings.update' denied on finding ${hit}`,
          });
          return;
        }
        upstream.makeUnaryRequest(
          path,
          same,
          same,
          call.request,
          call.metadata ?? new Metadata(),
          (error: ServiceError | null, answer?: Buffer) => {
            if (error !== null) callback(error);
            else callback(null, answer);
          },
        );
      },
      same,
      same,
      'unary',
    );
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    endpoint: `127.0.0.1:${port}`,
    deny: (...ids) => ids.forEach((id) => denied.add(id)),
    async close() {
      upstream.close();
      server.forceShutdown();
    },
  };
}
