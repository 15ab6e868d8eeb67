// gRPC errors as Google APIs send them: a canonical code, a message, and for
// RESOURCE_EXHAUSTED a google.rpc.RetryInfo detail in the `grpc-status-details-bin`
// trailer (https://cloud.google.com/apis/design/errors#error_details), which google-gax
// decodes into `error.statusDetails`.
import { Metadata, status } from '@grpc/grpc-js';

export { status as GrpcCode };

export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly code: status,
    message: string,
    readonly metadata?: Metadata,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): StatusError =>
  new StatusError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string): StatusError =>
  new StatusError(status.NOT_FOUND, message);
export const alreadyExists = (message: string): StatusError =>
  new StatusError(status.ALREADY_EXISTS, message);
export const permissionDenied = (message: string): StatusError =>
  new StatusError(status.PERMISSION_DENIED, message);
export const unimplemented = (message: string): StatusError =>
  new StatusError(status.UNIMPLEMENTED, message);

// Three small messages are encoded by hand (https://protobuf.dev/programming-guides/encoding/)
// rather than pulling in a protobuf runtime for them.
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const tag = (field: number, wireType: 0 | 2): Buffer => varint((field << 3) | wireType);
const numberField = (field: number, value: number): Buffer =>
  value === 0 ? Buffer.alloc(0) : Buffer.concat([tag(field, 0), varint(value)]);
const bytesField = (field: number, value: Buffer): Buffer =>
  Buffer.concat([tag(field, 2), varint(value.length), value]);

/** google.rpc.Status{code, message, details: [Any(RetryInfo{retry_delay})]}. */
export function retryInfoStatus(code: status, message: string, retryDelayMs: number): Buffer {
  const seconds = Math.floor(retryDelayMs / 1000);
  const nanos = (retryDelayMs % 1000) * 1_000_000;
  const duration = Buffer.concat([numberField(1, seconds), numberField(2, nanos)]);
  const retryInfo = bytesField(1, duration);
  const any = anyOf('google.rpc.RetryInfo', retryInfo);
  return Buffer.concat([
    numberField(1, code),
    bytesField(2, Buffer.from(message)),
    bytesField(3, any),
  ]);
}

const anyOf = (type: string, value: Buffer): Buffer =>
  Buffer.concat([bytesField(1, Buffer.from(`type.googleapis.com/${type}`)), bytesField(2, value)]);

/**
 * google.rpc.Status{code, message, details: [Any(ErrorInfo{reason, domain, metadata})]}:
 * the detail Google APIs attach to most errors (https://cloud.google.com/apis/design/errors#error_info),
 * which google-gax promotes to `error.reason`, `error.domain` and `error.errorInfoMetadata`.
 */
export function errorInfoStatus(
  code: status,
  message: string,
  info: { reason: string; domain: string; metadata: Readonly<Record<string, string>> },
): Buffer {
  const entries = Object.entries(info.metadata).map(([key, value]) =>
    bytesField(
      3,
      Buffer.concat([bytesField(1, Buffer.from(key)), bytesField(2, Buffer.from(value))]),
    ),
  );
  const errorInfo = Buffer.concat([
    bytesField(1, Buffer.from(info.reason)),
    bytesField(2, Buffer.from(info.domain)),
    ...entries,
  ]);
  return Buffer.concat([
    numberField(1, code),
    bytesField(2, Buffer.from(message)),
    bytesField(3, anyOf('google.rpc.ErrorInfo', errorInfo)),
  ]);
}

/**
 * PERMISSION_DENIED as IAM answers a call whose identity lacks a permission:
 * "Permission 'P' denied on resource 'R' (or it may not exist).", with an ErrorInfo
 * (reason IAM_PERMISSION_DENIED, domain iam.googleapis.com, metadata {permission, resource}).
 */
export function iamPermissionDenied(permission: string, resource: string): StatusError {
  const message = `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`;
  const metadata = new Metadata();
  metadata.set(
    'grpc-status-details-bin',
    errorInfoStatus(status.PERMISSION_DENIED, message, {
      reason: 'IAM_PERMISSION_DENIED',
      domain: 'iam.googleapis.com',
      metadata: { permission, resource },
    }),
  );
  return new StatusError(status.PERMISSION_DENIED, message, metadata);
}

/** A StatusError carrying a RetryInfo detail, as quota errors do: https://cloud.google.com/apis/design/errors#retrying_errors */
export function resourceExhausted(message: string, retryDelayMs: number): StatusError {
  const metadata = new Metadata();
  metadata.set(
    'grpc-status-details-bin',
    retryInfoStatus(status.RESOURCE_EXHAUSTED, message, retryDelayMs),
  );
  return new StatusError(status.RESOURCE_EXHAUSTED, message, metadata);
}
