/** How long one AWS call may take, per attempt: the SDK retries a timed-out attempt. */
export interface CallTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  readonly connectTimeoutMs: number;
  /** Until the answer's headers arrive, and then the longest silence while its body streams. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const DEFAULT_TIMEOUTS: CallTimeouts = {
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
};

/**
 * The longest an SQS long poll is silent by design: ReceiveMessage waits up
 * to WaitTimeSeconds (at most 20) for a message before it answers
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
 * SQS clients get it on top of the request timeout, or every empty poll
 * would time out.
 */
export const LONG_POLL_ALLOWANCE_MS = 20_000;

/** The NodeHttpHandler options the SDK client constructors take as `requestHandler`. */
export interface NodeHttpHandlerOptions {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly socketTimeout: number;
  readonly throwOnRequestTimeout: true;
}

/**
 * Every client's NodeHttpHandler settings, in the shorthand the client
 * constructors take as `requestHandler` (SDK ≥ 3.521.0:
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html).
 * Without them the SDK waits forever: every timeout defaults to 0, none
 * (https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler).
 * - connectionTimeout: the socket must connect within connectTimeoutMs.
 * - requestTimeout: the answer's headers must arrive within requestTimeoutMs
 *   of the request. Since @smithy/node-http-handler 4.4 it only logs a
 *   warning when it passes, unless throwOnRequestTimeout
 *   (https://github.com/aws/aws-sdk-js-v3/blob/main/UPGRADING.md).
 * - socketTimeout: once the headers are in, a body that stalls for as long
 *   fails too (the request timer stops at the headers).
 * A timed-out attempt is a TimeoutError, which the SDK retries like a network
 * error (maxAttempts, 3 by default).
 */
export function requestHandlerOptions(timeouts: CallTimeouts, extraMs = 0): NodeHttpHandlerOptions {
  const requestTimeout = timeouts.requestTimeoutMs + extraMs;
  return {
    connectionTimeout: timeouts.connectTimeoutMs,
    requestTimeout,
    socketTimeout: requestTimeout,
    throwOnRequestTimeout: true,
  };
}
