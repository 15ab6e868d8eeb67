import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  sleep,
  type PipelineLogger,
  type SweepPage,
  type SweepReaderFactory,
} from '@drift-detective/pipeline';
import { SUPPORTED_TYPES } from '../normalize/registry.js';
import type { BatchRetryInfo, BatchRetryOptions } from './batch-get.js';
import {
  CursorOfOtherTypesError,
  decodeCursor,
  encodeCursor,
  type SweepPosition,
} from './cursor.js';
import { readPageDocument, type AccountBlockCache } from './page-document.js';
import { accountSource, aggregatorSource, type ConfigSource } from './sources.js';

/**
 * Most identifiers one ListDiscoveredResources / ListAggregateDiscoveredResources
 * page holds ("You cannot specify a number greater than 100"):
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ListDiscoveredResources.html
 */
export const MAX_PAGE_SIZE = 100;

export interface ConfigSweepOptions {
  /** A client of the region to sweep (of the aggregator's region, with an aggregator). */
  readonly client: ConfigServiceClient;
  /** The resource types to sweep, in this order (default: every supported type). */
  readonly resourceTypes?: readonly string[] | undefined;
  /** Identifiers per listed page, 1–100 (default 100). */
  readonly pageSize?: number | undefined;
  /** Sweep what this configuration aggregator gathered instead of the client's own region. */
  readonly aggregator?: { readonly name: string } | undefined;
  /** Told before each retry of unprocessed keys. */
  readonly onRetry?: ((info: BatchRetryInfo) => void) | undefined;
  /** Attempts and backoff of those retries. */
  readonly retry?: Omit<BatchRetryOptions, 'onRetry'> | undefined;
  /** Told when a saved cursor of another type list is set aside. */
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
  /** A stop: aborting cuts the AWS Config call in flight and any wait before a retry. */
  readonly signal?: AbortSignal | undefined;
}

/** The types a sweep reads when none are named: every type the library normalizes. */
export function defaultSweepTypes(): string[] {
  return Object.keys(SUPPORTED_TYPES);
}

/**
 * Reads AWS Config's inventory as sweep pages: per resource type, each
 * listed page of identifiers becomes one SweepPage holding one
 * BatchGetResourceConfig-shaped document (plain JSON, the account Block
 * Public Access item first when it holds buckets). The cursor of a page
 * names the next listed page, so a sweep resumed after it reads on from
 * there. The account Block Public Access items are looked up once per sweep
 * (per started reader).
 */
export function configSweepReader(options: ConfigSweepOptions): SweepReaderFactory {
  const types = [...(options.resourceTypes ?? defaultSweepTypes())];
  for (const type of types) {
    if (typeof type !== 'string' || type === '') throw new TypeError('empty resource type');
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const { client, aggregator, logger, signal } = options;
  const retry: BatchRetryOptions = {
    ...(signal ? { sleep: (ms: number) => sleep(ms, signal) } : {}),
    ...options.retry,
    onRetry: options.onRetry,
  };
  return (after) => {
    const start = () => startAt(after, types, logger);
    return aggregator
      ? sweepPages(aggregatorSource(client, aggregator.name, signal), types, pageSize, start, retry)
      : sweepPages(accountSource(client, signal), types, pageSize, start, retry);
  };
}

/**
 * Where a sweep resumed after `after` starts. A cursor saved by a sweep of
 * another type list (an upgrade added a type, resourceTypes was edited) is
 * set aside with a warning and the sweep starts over: refusing it would fail
 * every later sweep of this id, and re-reading from the first type only
 * re-judges what was already judged. A cursor that is no cursor still fails,
 * before any call.
 */
function startAt(
  after: string | null,
  types: readonly string[],
  logger: Pick<PipelineLogger, 'warn'> | undefined,
): SweepPosition {
  const start = { index: 0, nextToken: null };
  if (after === null) return start;
  try {
    return decodeCursor(after, types);
  } catch (error) {
    if (!(error instanceof CursorOfOtherTypesError)) throw error;
    logger?.warn(
      { cursor: after.slice(0, 200), types: [...types] },
      'saved sweep cursor is of another resource type list: sweeping from the first type',
    );
    return start;
  }
}

async function* sweepPages<K>(
  source: ConfigSource<K>,
  types: readonly string[],
  pageSize: number,
  start: () => SweepPosition,
  retry: BatchRetryOptions,
): AsyncGenerator<SweepPage> {
  // Read when the first page is asked for, before any call.
  let position = start();
  const accountBlocks: AccountBlockCache = new Map();
  while (position.index < types.length) {
    const type = types[position.index] as string;
    const token = position.nextToken ?? undefined;
    const listed = await source.list(type, pageSize, token);
    if (listed.nextToken !== undefined && listed.nextToken === token) {
      throw new Error(
        `listing ${type} answered its own nextToken again: the listing would not end`,
      );
    }
    const document = await readPageDocument(listed.keys, source, accountBlocks, retry);
    position =
      listed.nextToken === undefined
        ? { index: position.index + 1, nextToken: null }
        : { index: position.index, nextToken: listed.nextToken };
    yield {
      cursor: encodeCursor(position, types),
      documents: document === null ? [] : [document],
    };
  }
}
