import type { FindingRecord, FindingStatus } from '../finding.js';
import { SqliteStateStore } from './sqlite-store.js';

/**
 * A reader's look at a state file another process may be writing: without
 * the writer's lock, closed again before it returns. `unpublished`: only the
 * findings whose last transition no hub has taken yet.
 */
export function readStateFindings(
  statePath: string,
  which: { readonly status?: FindingStatus; readonly unpublished?: boolean } = {},
): FindingRecord[] {
  const store = new SqliteStateStore(statePath, { lock: false });
  try {
    return which.unpublished ? store.unpublished() : store.list(which.status);
  } finally {
    store.close();
  }
}
