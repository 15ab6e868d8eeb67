import type { CoveredScope } from '@drift-detective/findings';
import type { PipelineDeps } from '../core.js';
import type { SweepReaderFactory } from '../interfaces.js';
import { runSweep, type SweepProgressReport } from '../sweep-mode.js';
import { cloudFailureLine } from '../command/cloud-failure.js';
import { sweepLine, type ScopeSweep } from './sweep-report.js';
import { countingTransitions } from './transition-counts.js';

/** One part of a cloud's estate swept on its own: an account and region, a subscription, a project. */
export interface SweepShard {
  /** How the command names it: `us-east-1 (123456789012)`, a subscription id, `projects/p`. */
  readonly name: string;
  /** Its checkpoint's name: a run with the same id resumes after its last saved page. */
  readonly sweepId: string;
  /** What it covers: only open findings inside it can resolve as deleted. */
  readonly scope: CoveredScope;
  readonly reader: SweepReaderFactory;
}

/** One shard's sweep, or why it could not run. */
export type ShardSweep =
  | (ScopeSweep & { readonly shard: string; readonly failure?: undefined })
  | { readonly shard: string; readonly failure: Error };

/**
 * Sweeps the shards one after the other, each with its own scope and
 * checkpoint: a shard that cannot be read (access denied, a failure past the
 * retries) is named in its result and resolves nothing, and the others still
 * run; an interrupted one resumes after its last saved page. A stop ends the
 * loop; the call it cut throws, for the command to report.
 */
export async function sweepShards(
  shards: readonly SweepShard[],
  deps: PipelineDeps,
  options: {
    readonly signal?: AbortSignal | undefined;
    readonly onProgress?: ((shard: string, progress: SweepProgressReport) => void) | undefined;
  } = {},
): Promise<ShardSweep[]> {
  const done: ShardSweep[] = [];
  for (const shard of shards) {
    if (options.signal?.aborted) break;
    const { sweepId, scope } = shard;
    deps.logger?.info({ sweepId, kinds: scope.kinds && [...scope.kinds] }, 'sweep scope');
    const { metrics, counts } = countingTransitions(deps.metrics);
    try {
      const summary = await runSweep(
        shard.reader,
        { ...deps, metrics },
        {
          sweepId,
          scope,
          signal: options.signal,
          onProgress: (progress) => options.onProgress?.(shard.name, progress),
        },
      );
      done.push({ ...summary, sweepId, shard: shard.name, findings: counts() });
    } catch (error) {
      if (options.signal?.aborted || !(error instanceof Error)) throw error;
      if (error instanceof TypeError || error instanceof ReferenceError) throw error;
      deps.logger?.error({ sweepId, reason: error.message }, 'sweep failed');
      done.push({ shard: shard.name, failure: error });
    }
  }
  return done;
}

/** The line a sweep command ends a shard with: its summary, or the one line of its failure. */
export function shardLine(command: string, sweep: ShardSweep): string {
  return sweep.failure === undefined
    ? sweepLine(command, sweep.shard, sweep)
    : cloudFailureLine(`${command} ${sweep.shard}`, sweep.failure);
}
