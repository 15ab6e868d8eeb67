import {
  FINDING_STATUSES,
  isPostgresUrl,
  openStateStore,
  StateStoreError,
  type FindingStatus,
  type StateStore,
} from '@drift-detective/findings';
import { existsSync } from 'node:fs';
import type { CommandIo } from '@drift-detective/pipeline';
import { EXIT, UsageError } from './usage.js';

/** drift-detective findings list --state FILE|URL [--status S] [--format table|json] */
export async function findingsListCommand(
  options: {
    readonly state?: string | undefined;
    readonly status?: string | undefined;
    readonly format?: string | undefined;
  },
  io: CommandIo,
): Promise<number> {
  if (!options.state) throw new UsageError('findings list needs --state FILE');
  if (!isPostgresUrl(options.state) && !existsSync(options.state))
    throw new UsageError(`state file ${options.state} does not exist`);
  const status = options.status?.toUpperCase();
  if (status !== undefined && !FINDING_STATUSES.includes(status as FindingStatus)) {
    throw new UsageError(
      `--status must be one of ${FINDING_STATUSES.join(', ')}, not '${options.status}'`,
    );
  }
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format must be table or json, not '${format}'`);
  let store: StateStore;
  try {
    // Only reads: listing works while a worker or a scan writes the state.
    store = await openStateStore(options.state, { readOnly: true });
  } catch (error) {
    if (error instanceof StateStoreError) {
      throw new UsageError(error.message, { showUsage: false });
    }
    throw error;
  }
  try {
    const findings = await store.list(status as FindingStatus | undefined);
    if (format === 'json') {
      io.out(`${JSON.stringify({ findings }, null, 2)}\n`);
    } else {
      for (const f of findings) {
        const when =
          f.status === 'RESOLVED'
            ? `resolved ${f.resolvedAt} (${f.resolution})`
            : `since ${f.firstSeen}`;
        io.out(
          `${f.status.padEnd(10)} ${f.severity.padEnd(8)} ${f.ruleId}  ${f.resourceId}  ${when}\n`,
        );
      }
      io.out(`${findings.length} finding(s).\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
