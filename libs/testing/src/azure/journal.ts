// What the stand-in heard and said: one entry per request to the emulated
// services (the token endpoint and ARM), with the outcome of validating the
// request and the answer against their contract. The admin API is not recorded.
import type { AzureFault } from './faults.js';

export interface JournalEntry {
  readonly at: string;
  readonly method: string;
  /** The path as sent, without the query. */
  readonly path: string;
  readonly apiVersion: string | null;
  /** The contract operationId, or ManagedIdentityToken / ResourceGet / ResourceList / Unknown. */
  readonly operation: string;
  /** Which contract judged it: `<file>#<operationId>`, or the documented shape used instead. */
  readonly contract: string;
  /** 0 when the connection was dropped before any answer. */
  readonly status: number;
  readonly requestValid: boolean;
  readonly answerValid: boolean;
  readonly requestProblems: readonly string[];
  readonly answerProblems: readonly string[];
  /** The fault injected into this request, if any. */
  readonly fault?: AzureFault['kind'];
}
