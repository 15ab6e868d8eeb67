import {
  RestError,
  type Agent,
  type PipelinePolicy,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import type { CallTimeouts } from './timeouts.js';

export const ATTEMPT_TIMEOUT_POLICY = 'driftAttemptTimeout';

/**
 * Bounds every attempt of a call: the answer must be complete within
 * requestTimeoutMs, and a new connection must be up within connectTimeoutMs
 * (through `agent`, unless a proxy policy already chose one). A timed-out
 * attempt fails with a RestError of code ETIMEDOUT, which the retry policy
 * retries as a network error; the caller's own abort stays an AbortError
 * and is never retried. Placed after the retry policy, so each attempt gets
 * its own clock.
 */
export function attemptTimeoutPolicy(timeouts: CallTimeouts, agent: Agent): PipelinePolicy {
  return {
    name: ATTEMPT_TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const forward = () => controller.abort();
      if (outer?.aborted) controller.abort();
      outer?.addEventListener('abort', forward);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeouts.requestTimeoutMs);
      request.abortSignal = controller.signal;
      request.agent ??= agent;
      try {
        return await next(request);
      } catch (error) {
        if (timedOut && !outer?.aborted) throw timedOutError(request, timeouts.requestTimeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', forward);
        // The retry policy reads the signal after the attempt: it must see the caller's.
        restoreSignal(request, outer);
      }
    },
  };
}

function timedOutError(request: PipelineRequest, ms: number): RestError {
  return new RestError(`no complete answer within ${ms} ms`, { code: 'ETIMEDOUT', request });
}

function restoreSignal(request: PipelineRequest, signal: PipelineRequest['abortSignal']): void {
  if (signal === undefined) delete request.abortSignal;
  else request.abortSignal = signal;
}
