import type { AzureClients } from './clients.js';
import { apiVersionOf } from './api-versions.js';
import { statusOf } from './call-errors.js';
import { withChildren } from './children.js';
import { judgedTargetOf } from './resource-id.js';

/** What reading a resource for judgement found. */
export type JudgementRead =
  /** The document the azure inventory reads: the judged resource's body, then its children. */
  | { readonly status: 'found'; readonly judgedId: string; readonly document: unknown[] }
  /**
   * ARM answered 404 for the judged resource (or for its children, read
   * right after it). judgedIsRequested says whether that is the resource
   * asked about or its parent: the caller records a deletion only when the
   * event was a delete or the judged resource itself is gone.
   */
  | { readonly status: 'gone'; readonly judgedId: string; readonly judgedIsRequested: boolean }
  /** A type this library has no api-version for: nothing was read. */
  | { readonly status: 'unsupported'; readonly resourceId: string };

const sameId = (a: string, b: string) =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * Reads the current state of the resource an event names, as the sweep
 * would see it: an ARM GET of the judged resource (a child id maps to its
 * judged parent, see judgedTargetOf) with the children read beside it. Any
 * other failure is thrown (a retryable error for the event).
 */
export async function readResourceForJudgement(
  clients: Pick<AzureClients, 'armGet' | 'armList'>,
  resourceId: string,
  signal?: AbortSignal,
): Promise<JudgementRead> {
  const target = judgedTargetOf(resourceId);
  if (target === null) return { status: 'unsupported', resourceId };
  try {
    const body = await clients.armGet(target.id, apiVersionOf(target.type), signal);
    const { body: judged, children } = await withChildren(clients, body, signal);
    return { status: 'found', judgedId: target.id, document: [judged, ...children] };
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    return {
      status: 'gone',
      judgedId: target.id,
      judgedIsRequested: sameId(target.id, resourceId),
    };
  }
}
