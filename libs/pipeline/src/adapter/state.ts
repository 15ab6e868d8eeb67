import { describeHolder, openStateStore, type StateStore } from '@drift-detective/findings';
import type { PipelineLogger } from '../observability.js';

/**
 * Opens an adapter's state: a SQLite file has one writer at a time (a second
 * worker or sweep on it waits, saying so, then is refused by name); a
 * postgresql:// URL is shared by every worker. Throws StateStoreError when it
 * cannot be used.
 */
export async function openAdapterState(
  statePath: string,
  command: string,
  logger: PipelineLogger,
  concurrency = 1,
): Promise<StateStore> {
  const store = await openStateStore(statePath, {
    command,
    // Each event in flight holds a connection while its resource is locked; one more for sweeps' reads.
    poolSize: Math.max(10, concurrency + 1),
    onWait: (holder) =>
      logger.warn(
        { statePath, holder },
        `waiting for the state file: in use by ${describeHolder(holder)}`,
      ),
  });
  logger.info({ state: store.location, stateDriver: store.driver }, 'state store open');
  return store;
}
