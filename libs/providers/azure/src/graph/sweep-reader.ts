import type { PipelineLogger, SweepPage, SweepReaderFactory } from '@drift-detective/pipeline';
import type { AzureClients } from '../arm/clients.js';
import {
  CursorOfOtherSweepError,
  decodeCursor,
  encodeCursor,
  type CursorContext,
  type SweepPosition,
} from './cursor.js';
import { pageDocument } from './page-document.js';
import { MAX_PAGE_SIZE, queryPage } from './query-pages.js';
import { sweepPlan, sweepTypes } from './sweep-plan.js';

/** Rows per page by default: Resource Graph's own default page is larger (1000), but each page also costs ARM reads for its children before it is saved. */
export const DEFAULT_PAGE_SIZE = 100;
/** ARM reads in flight for one page's children: well inside ARM's 25 reads/s refill per subscription and principal (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). */
export const DEFAULT_CHILD_READS = 8;

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export interface ResourceGraphSweepOptions {
  readonly clients: Pick<AzureClients, 'resourceGraph' | 'armList'>;
  /** The one subscription swept (a management group sweeps each of its subscriptions apart). */
  readonly subscription: string;
  /** Canonical ARM types to sweep (default: every type of SWEEP_TYPES). */
  readonly types?: readonly string[] | undefined;
  /** Rows per page, 1–1000 (default 100). */
  readonly pageSize?: number | undefined;
  /** ARM reads in flight for the children of a page (default 8). */
  readonly childReads?: number | undefined;
  /** Look up who changed each resource (default true). */
  readonly attribution?: boolean | undefined;
  /** A stop: aborting cuts the call in flight. */
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
}

/**
 * Reads one subscription's inventory from Resource Graph as sweep pages:
 * per query (the `resources` table for the swept types, then role
 * definitions from `authorizationresources`), each answer page becomes one
 * SweepPage holding one document (page-document.ts). A page's cursor names
 * the next page (query and skip token), so a sweep resumed after it reads
 * on from there.
 */
export function resourceGraphSweep(options: ResourceGraphSweepOptions): SweepReaderFactory {
  const { clients, subscription, signal, logger } = options;
  if (!SUBSCRIPTION_ID.test(subscription)) {
    throw new TypeError(`a subscription id is a GUID, got ${JSON.stringify(subscription)}`);
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(
      `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  }
  const context: CursorContext = { subscription, phases: sweepPlan(sweepTypes(options.types)) };
  const documentOptions = {
    clients,
    subscription,
    concurrency: options.childReads ?? DEFAULT_CHILD_READS,
    attribute: options.attribution ?? true,
    logger,
    signal,
  };

  async function* pages(after: string | null): AsyncGenerator<SweepPage> {
    // Read when the first page is asked for, before any call.
    let position = startAt(after, context, logger);
    for (
      let phase = context.phases[position.phase];
      phase;
      phase = context.phases[position.phase]
    ) {
      const page = await queryPage(
        clients,
        {
          query: phase.query,
          operation: `Resource Graph query (${phase.table})`,
          scope: { subscriptions: [subscription] },
          top: pageSize,
          skipToken: position.skipToken,
        },
        signal,
      );
      const document = await pageDocument(page.rows, documentOptions);
      position =
        page.skipToken === null
          ? { phase: position.phase + 1, skipToken: null }
          : { phase: position.phase, skipToken: page.skipToken };
      yield {
        cursor: encodeCursor(position, context),
        documents: document.length > 0 ? [document] : [],
      };
    }
  }
  return (after) => pages(after);
}

/**
 * Where a sweep resumed after `after` starts. A cursor of another sweep
 * (another type list, a changed query) is set aside with a warning and the
 * sweep starts over, as the AWS Config sweep does: its skip token means
 * nothing for this query, and re-reading only re-judges. A cursor that is no
 * cursor of this reader is an error, before any call.
 */
function startAt(
  after: string | null,
  context: CursorContext,
  logger: Pick<PipelineLogger, 'warn'> | undefined,
): SweepPosition {
  const start = { phase: 0, skipToken: null };
  if (after === null) return start;
  try {
    return decodeCursor(after, context);
  } catch (error) {
    if (!(error instanceof CursorOfOtherSweepError)) throw error;
    logger?.warn(
      { cursor: after.slice(0, 200), reason: error.message },
      'saved sweep cursor is of another sweep: sweeping from the start',
    );
    return start;
  }
}
