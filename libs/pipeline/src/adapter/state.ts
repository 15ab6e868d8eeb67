import { describeHolder, SqliteStateStore } from '@drift-detective/findings';
import type { PipelineLogger } from '../observability.js';

/**
 * Opens an adapter's state file. One writer at a time: a second worker or
 * sweep on the same file waits (saying so), then is refused by name. Throws
 * StateStoreError when the file cannot be used.
 */
export async function openAdapterState(
  statePath: string,
  command: string,
  logger: PipelineLogger,
): Promise<SqliteStateStore> {
  const store = await SqliteStateStore.open(statePath, {
    command,
    onWait: (holder) =>
      logger.warn(
        { statePath, holder },
        `waiting for the state file: in use by ${describeHolder(holder)}`,
      ),
  });
  logger.info({ statePath, stateDriver: store.driver }, 'state store open');
  return store;
}
