import type { Writable } from 'node:stream';
import type { Observation, StateStore, WaiverRef } from '@drift-detective/findings';
import type { PipelineDeps } from '../core.js';
import type { Publisher } from '../interfaces.js';
import {
  createMemoryMetrics,
  type PipelineLogger,
  type PipelineMetrics,
} from '../observability.js';
import { hubOrDryRun } from '../publishers/json-lines.js';
import type { AdapterSettings } from './adapter-settings.js';

/** What a cloud's runtime is built from: the services every adapter starts, and its settings. */
export interface AdapterRuntimeOptions<C> {
  readonly config: C;
  readonly engine: PipelineDeps['engine'];
  readonly logger: PipelineLogger;
  /** Where --dry-run writes findings (JSON lines). */
  readonly dryRunOut: Writable;
  readonly waiverFor?: ((observation: Observation) => WaiverRef | undefined) | undefined;
  readonly metrics?: PipelineMetrics | undefined;
  /**
   * Cuts the hub's calls in flight when it aborts: a sweep's stop (the
   * findings stay pending in the state and go out on the next run). A worker
   * or `serve` leaves it out, to finish what it accepted.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The pipeline's parts of an adapter, its inventory aside: the engine, the
 * state, the cloud's hub (built only when findings go to it, not for a dry
 * run, whose JSON lines go to `dryRunOut`), logs, metrics and waivers.
 */
export function adapterPipelineDeps(
  options: AdapterRuntimeOptions<Pick<AdapterSettings, 'dryRun'>>,
  store: StateStore,
  hub: () => Publisher,
): Omit<PipelineDeps, 'inventory'> {
  return {
    engine: options.engine,
    store,
    publisher: hubOrDryRun(options.config.dryRun, options.dryRunOut, hub),
    logger: options.logger,
    metrics: options.metrics ?? createMemoryMetrics(),
    waiverFor: options.waiverFor,
  };
}
