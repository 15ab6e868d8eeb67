/**
 * The send options that tie an SDK call to a stop signal: aborting it cuts the
 * request in flight and the SDK's wait before a retry, and the call rejects
 * with an AbortError
 * (https://aws.amazon.com/blogs/developer/abortcontroller-in-modular-aws-sdk-for-javascript/).
 * No signal, no options.
 */
export interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

export function abortOptions(signal: AbortSignal | undefined): SendOptions {
  return signal ? { abortSignal: signal } : {};
}
