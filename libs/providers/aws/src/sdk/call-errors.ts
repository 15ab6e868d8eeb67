/**
 * AWS calls that failed without an answer of the service's own: an answer
 * the SDK could not read, or none in time. The SDK throws those as whatever
 * broke inside it — a SyntaxError from JSON.parse, a TypeError from its
 * timestamp reader, a multi-line message — which look like bugs of ours
 * (stack traces, exit 1). Here they become named errors with one-line
 * messages that say which call failed, so the command reports them as the
 * environment failures they are.
 */

/** What the SDK's errors carry: the HTTP status and the attempts made. */
export interface AwsMetadata {
  readonly httpStatusCode?: number | undefined;
  readonly attempts?: number | undefined;
}

/** A message's first line: the SDK appends a hint about a hidden field on the next one. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

/**
 * An answer that is not the protocol's: 200 `not json`, an HTML error page, a
 * text timestamp where awsJson has epoch seconds (unreadable), or JSON of
 * another shape than the operation's (a list that is no list). The SDK's
 * deserializer throws on the first kind, tagging what it threw with the raw
 * answer as the hidden field $response but no $fault, which a modeled service
 * error has
 * (https://github.com/smithy-lang/smithy-typescript/blob/main/packages/core/src/submodules/schema/middleware/schemaDeserializationMiddleware.ts);
 * the second it passes on as is, so the callers check (answers.ts).
 */
export class AwsAnswerError extends Error {
  override readonly name = 'AwsAnswerError';

  constructor(
    readonly operation: string,
    detail: string,
    /** The answer's status, kept so retry rules still see a 5xx as a server error. */
    readonly $metadata: AwsMetadata = {},
  ) {
    super(`${operation} answered ${detail}`);
  }

  /** What the SDK threw when it could not read the answer. */
  static unreadable(
    operation: string,
    unread: Error & { readonly $metadata?: AwsMetadata },
  ): AwsAnswerError {
    const metadata = unread.$metadata ?? {};
    return new AwsAnswerError(
      operation,
      `HTTP ${metadata.httpStatusCode ?? '?'} with a body the SDK cannot read ` +
        `(${unread.name}: ${firstLine(unread.message)})`,
      metadata,
    );
  }
}

/** No answer within the connect or request timeout, on every attempt the SDK made. */
export class AwsTimeoutError extends Error {
  override readonly name = 'AwsTimeoutError';
  readonly $metadata: AwsMetadata;

  constructor(
    readonly operation: string,
    readonly timedOut: Error & { readonly $metadata?: AwsMetadata },
  ) {
    const metadata = timedOut.$metadata ?? {};
    const attempts = metadata.attempts === undefined ? '' : ` (${metadata.attempts} attempts)`;
    const why = firstLine(timedOut.message).replace(
      /^@smithy\/node-http-handler - (\[\w+\] )?/,
      '',
    );
    super(`${operation} got no answer in time${attempts}: ${why}`);
    this.$metadata = metadata;
  }
}

function isUnreadableAnswer(error: Error): boolean {
  return '$response' in error && !('$fault' in error);
}

/** "ConfigService DescribeConfigurationRecorders", from the SDK's names of client and command. */
function operationName(context: { clientName?: string; commandName?: string }): string {
  const client = (context.clientName ?? 'AWS').replace(/Client$/, '');
  const command = (context.commandName ?? 'call').replace(/Command$/, '');
  return `${client} ${command}`;
}

/** The error a failed call throws: the SDK's own, or one of the above in its place. */
export function namedCallError(
  error: unknown,
  context: { clientName?: string; commandName?: string },
): unknown {
  if (!(error instanceof Error)) return error;
  if (isUnreadableAnswer(error)) return AwsAnswerError.unreadable(operationName(context), error);
  if (error.name === 'TimeoutError') return new AwsTimeoutError(operationName(context), error);
  return error;
}

type Handler = (args: object) => Promise<unknown>;
type Context = { clientName?: string; commandName?: string };

/** What this module calls of an SDK client's middleware stack. */
interface InitializeStack {
  add(
    middleware: (next: Handler, context: Context) => Handler,
    options: { step: 'initialize'; name: string; override: boolean },
  ): void;
}

/**
 * Adds the translation to a client, first in its stack (the initialize
 * step): it sees each call's final outcome, after the SDK's retries.
 */
export function nameFailedCalls<C extends { readonly middlewareStack: object }>(client: C): C {
  // Each client's stack is typed by its own commands' inputs and outputs; a
  // middleware that only passes them on fits every one, which TypeScript
  // cannot see across the union of clients.
  const stack = client.middlewareStack as InitializeStack;
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw namedCallError(error, context);
      }
    },
    { step: 'initialize', name: 'driftNamedCallErrors', override: true },
  );
  return client;
}
