import {
  createInventoryContext,
  NormalizeError,
  ResourceDeletedNotice,
  SCAN_TIME,
  type InventoryContext,
  type NativeRecord,
  type Provider,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { UsageError } from '../usage.js';
import { documentMode, readDocuments, readRecordPlaces, type DocumentMode } from './documents.js';
import type { InputFile } from './inputs.js';
import { readRange, type RecordRange } from './record-range.js';
import { RecordSet } from './record-set.js';
import type { SpanLog } from './spill/span-log.js';

export interface NormalizeOptions {
  readonly inputs: readonly InputFile[];
  readonly inventories: readonly ProviderInventory[];
  /** --provider: skip detection. */
  readonly provider?: Provider | undefined;
  /** observedAt for records that carry no time of their own. */
  readonly scanTime?: string | undefined;
  /** Called every few hundred records with a running count, for progress output. */
  readonly onProgress?: ((records: number) => void) | undefined;
}

/** A record that was not turned into a resource, and why. */
export interface Skipped {
  readonly input: string;
  readonly reason: string;
}

/** A record the second pass could not normalize: why, and whether it says the resource is gone. */
export interface SkippedRecord {
  readonly skipped: Skipped;
  /** Set when the record is a deletion notice: the resource is gone, not unread. */
  readonly deleted?: {
    readonly provider: Provider;
    readonly resourceId: string;
    readonly deletedAt?: string | undefined;
  };
}

export type Normalized = { readonly resource: Resource } | SkippedRecord;

export const PROGRESS_EVERY = 500;

/**
 * Each provider's context, made on first use with the scan time in it. A
 * thread of its own builds one from the copies another thread made.
 */
export class InventoryContexts {
  private readonly byProvider = new Map<Provider, InventoryContext>();

  constructor(
    readonly scanTime: string,
    copies: readonly (readonly [Provider, [string, unknown][]])[] = [],
  ) {
    for (const [provider, entries] of copies)
      this.byProvider.set(provider, createInventoryContext(entries));
  }

  of(provider: Provider): InventoryContext {
    let context = this.byProvider.get(provider);
    if (!context) {
      context = createInventoryContext();
      context.set(SCAN_TIME, this.scanTime);
      this.byProvider.set(provider, context);
    }
    return context;
  }

  /**
   * What another thread needs to build the same contexts (structured-cloneable),
   * for the providers `wanted` accepts (those it normalizes).
   */
  copies(wanted: (provider: Provider) => boolean = () => true): [Provider, [string, unknown][]][] {
    return [...this.byProvider]
      .filter(([provider]) => wanted(provider))
      .map(([provider, context]) => [provider, context.entries()]);
  }

  providers(): Provider[] {
    return [...this.byProvider.keys()];
  }
}

/** Whether `provider`'s records may be normalized on another thread, from a copy of its context. */
export function normalizesOffThread(reading: Reading, provider: Provider): boolean {
  const inventory = reading.inventories.find((inv) => inv.provider === provider);
  return inventory?.normalizeReadsContextOnly === true;
}

/** What both passes read a document with: the clouds, --provider, and the contexts. */
export interface Reading {
  readonly inventories: readonly ProviderInventory[];
  readonly provider?: Provider | undefined;
  readonly contexts: InventoryContexts;
}

/** A document placed with its cloud and unwrapped into records, or why it was not. */
type Placed =
  | { readonly inventory: ProviderInventory; readonly records: NativeRecord[] }
  | { readonly skipped: Skipped };

/**
 * Finds the cloud a parsed document comes from and unwraps its records. A
 * whole file nobody can place is a usage error; one NDJSON line or streamed
 * record is skipped.
 */
function placeDocument(
  document: { readonly source: string; readonly value: unknown },
  wholeFile: boolean,
  reading: Reading,
): Placed {
  let inventory: ProviderInventory | undefined;
  if (reading.provider) {
    inventory = reading.inventories.find((inv) => inv.provider === reading.provider);
  } else {
    const matches = reading.inventories.filter((inv) => inv.detect(document.value));
    if (matches.length === 1) inventory = matches[0];
    else {
      const why =
        matches.length === 0
          ? 'cannot tell which cloud this input comes from; pass --provider aws|azure|gcp'
          : `input looks like ${matches.map((m) => m.provider).join(' and ')}; pass --provider`;
      if (wholeFile) throw new UsageError(`${document.source}: ${why}`);
      return { skipped: { input: document.source, reason: why } };
    }
  }
  if (!inventory) return { skipped: { input: document.source, reason: 'no reader for it' } };
  try {
    return { inventory, records: inventory.unwrap(document.value, document.source) };
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return { skipped: { input: error.source, reason: error.reason } };
  }
}

/**
 * What the first pass learns from one document, wherever it was parsed: the
 * cloud it was placed with and its records that may give context (collect
 * runs on them in order, where the context is kept), or why it was skipped,
 * or that it is not JSON (the whole input is then refused).
 */
export type Survey =
  | {
      readonly source: string;
      readonly provider: Provider;
      readonly contributing: readonly (readonly [number, NativeRecord])[];
      /**
       * Set when the record (of a streamed input: this is its number among the
       * input's records) was normalized in the first pass: its outcomes follow.
       */
      readonly judgedEarly?: number;
    }
  | { readonly source: string; readonly skipped: Skipped }
  | { readonly source: string; readonly refused: string };

/** Places and unwraps a parsed document, keeping the records that may give context. */
export function surveyDocument(
  document: { readonly source: string; readonly value: unknown },
  wholeFile: boolean,
  reading: Reading,
): Survey {
  return surveyAndNormalize(document, wholeFile, reading).survey;
}

/**
 * A survey, and the record's resources when they can be had now: every one
 * of its records gives no context and needs none (the provider says), and
 * normalizing only reads the context. `record` is its number among the
 * input's records; without it nothing is normalized here.
 */
function surveyAndNormalize(
  document: { readonly source: string; readonly value: unknown },
  wholeFile: boolean,
  reading: Reading,
  record?: number,
): { readonly survey: Survey; readonly normalized?: Normalized[] } {
  const { source } = document;
  const placed = placeDocument(document, wholeFile, reading);
  if ('skipped' in placed) return { survey: { source, skipped: placed.skipped } };
  const { inventory, records } = placed;
  const { provider } = inventory;
  const contributing: [number, NativeRecord][] = [];
  for (const [index, native] of records.entries()) {
    if (inventory.contributesContext?.(native) ?? true) contributing.push([index, native]);
  }
  const early =
    record !== undefined &&
    inventory.normalizeReadsContextOnly === true &&
    records.length > 0 &&
    contributing.length === 0 &&
    records.every((native) => inventory.needsContext?.(native) === false);
  if (!early) return { survey: { source, provider, contributing } };
  const context = reading.contexts.of(provider);
  return {
    survey: { source, provider, contributing, judgedEarly: record },
    normalized: records.map((native) => normalizeRecord(inventory, native, context)),
  };
}

/**
 * Surveys the records of a streamed input somewhere else (on a pool of
 * threads): the first pass then only finds where each record is, and applies
 * what comes back, in order.
 */
export interface RecordSurveyor {
  /** Surveys the records of `range`; each survey is handed to `apply`, in order. */
  survey(range: SurveyRange, apply: (survey: Survey) => void): Promise<void>;
  /** Waits until every survey asked for has been applied. */
  settle(): Promise<void>;
}

/** Records of a streamed input to survey, with the line each starts on (for errors). */
export interface SurveyRange extends RecordRange {
  readonly lines: Float64Array;
  /** Whether its records that need no context are normalized (and judged) now. */
  readonly judgeEarly: boolean;
}

/** Records surveyed at a time. */
const SURVEY_RECORDS = 64;

/** What the first pass learned, for the second. */
export interface FirstPass {
  readonly reading: Reading;
  /** How each input is read (sniffed once, not once per pass). */
  readonly modes: ReadonlyMap<InputFile, DocumentMode>;
  /** The clouds each input's documents were placed with. */
  readonly providers: ReadonlyMap<InputFile, ReadonlySet<Provider>>;
  /** By document source, the indexes of its records that were context only. */
  readonly contextOnly: ReadonlyMap<string, readonly number[]>;
  /** What could not be read, placed, unwrapped or collected, in input order. */
  readonly skipped: readonly Skipped[];
  /** Where each record of a streamed input is (when the caller asked to keep it). */
  readonly spans: ReadonlyMap<InputFile, SpanLog>;
  /** The records of a streamed input normalized (and judged) in this pass: the second skips them. */
  readonly judgedEarly: ReadonlyMap<InputFile, RecordSet>;
}

/** How a first pass may spread its work (the scan's pool of threads). */
export interface FirstPassHelp {
  /** Where to keep the spans of a streamed input's records, for a second pass that reads them. */
  readonly spanLogFor: (input: InputFile) => SpanLog;
  /** Who parses and places a streamed input's records. */
  readonly surveyor: RecordSurveyor;
}

/** The clouds, --provider, and empty contexts holding the scan time. */
export function readingFor(options: NormalizeOptions): Reading {
  return {
    inventories: options.inventories,
    provider: options.provider,
    contexts: new InventoryContexts(options.scanTime ?? new Date().toISOString()),
  };
}

/**
 * The first pass: each provider collects the facts that span records
 * (account-level settings, IAM_POLICY records to merge). Nothing is held but
 * the context: the inputs are read again by the second pass, not kept. With
 * help, a streamed input's records are parsed and placed by the surveyor, and
 * only collect runs here.
 */
export async function firstPass(
  options: NormalizeOptions,
  reading: Reading = readingFor(options),
  help?: FirstPassHelp,
): Promise<FirstPass> {
  const modes = new Map<InputFile, DocumentMode>();
  for (const input of options.inputs) modes.set(input, await documentMode(input));
  const providers = new Map<InputFile, Set<Provider>>();
  const contextOnly = new Map<string, number[]>();
  const skipped: Skipped[] = [];
  const spans = new Map<InputFile, SpanLog>();
  const judgedEarly = new Map<InputFile, RecordSet>();
  // Of two states of one resource with one time, the one read last decides. Judged early,
  // a record would be kept before the second-pass records of the inputs before it: with
  // one input no record read before it is judged after it (a resource's states all need
  // context, or all need none, as its type decides).
  const judgeEarly = options.inputs.length === 1;
  const markContextOnly = (source: string, index: number) => {
    const indexes = contextOnly.get(source);
    if (indexes) indexes.push(index);
    else contextOnly.set(source, [index]);
  };
  const applyTo = (input: InputFile, placedWith: Set<Provider>) => (survey: Survey) => {
    if ('refused' in survey) throw new UsageError(`${input.label} ${survey.refused}`);
    if ('skipped' in survey) {
      skipped.push(survey.skipped);
      return;
    }
    placedWith.add(survey.provider);
    if (survey.judgedEarly !== undefined) {
      let early = judgedEarly.get(input);
      if (!early) judgedEarly.set(input, (early = new RecordSet()));
      early.add(survey.judgedEarly);
    }
    const inventory = reading.inventories.find((inv) => inv.provider === survey.provider);
    const context = reading.contexts.of(survey.provider);
    for (const [index, record] of survey.contributing) {
      try {
        if (inventory?.collect(record, context)) markContextOnly(survey.source, index);
      } catch (error) {
        if (!(error instanceof NormalizeError)) throw error;
        skipped.push({ input: error.source, reason: error.reason });
        markContextOnly(survey.source, index);
      }
    }
  };
  for (const input of options.inputs) {
    const placedWith = new Set<Provider>();
    providers.set(input, placedWith);
    const apply = applyTo(input, placedWith);
    const mode = modes.get(input);
    if (mode === 'stream' && help) {
      const spanLog = help.spanLogFor(input);
      spans.set(input, spanLog);
      await surveyRanges(input, spanLog, help.surveyor, apply, judgeEarly);
      // A document with no record array is read whole, below.
      if (spanLog.count > 0) continue;
    }
    for await (const document of readDocuments(input, mode)) {
      if ('error' in document) skipped.push({ input: document.source, reason: document.error });
      else apply(surveyDocument(document, mode === 'whole', reading));
    }
  }
  return { reading, modes, providers, contextOnly, skipped, spans, judgedEarly };
}

/** Finds where a streamed input's records are, keeps it, and has them surveyed in ranges. */
async function surveyRanges(
  input: InputFile,
  spanLog: SpanLog,
  surveyor: RecordSurveyor,
  apply: (survey: Survey) => void,
  judgeEarly: boolean,
): Promise<void> {
  let spans: number[] = [];
  let lines: number[] = [];
  const send = async () => {
    const first = spanLog.count - lines.length;
    const range = { path: input.path, label: input.label, first };
    await surveyor.survey(
      { ...range, spans: Float64Array.from(spans), lines: Float64Array.from(lines), judgeEarly },
      apply,
    );
    spans = [];
    lines = [];
  };
  for await (const { span, line } of readRecordPlaces(input)) {
    spanLog.add(span);
    spans.push(span.start, span.end);
    lines.push(line);
    if (lines.length === SURVEY_RECORDS) await send();
  }
  if (lines.length > 0) await send();
  await surveyor.settle();
}

/**
 * A range's records parsed and surveyed, in order, each with its resources
 * when they need no context (`surveyAndNormalize`): those are judged now, and
 * not read again. A record that is not JSON refuses the input, naming its
 * line, as reading it whole would.
 */
export function surveyRange(
  range: SurveyRange,
  reading: Reading,
): { readonly survey: Survey; readonly normalized?: Normalized[] }[] {
  return readRange(range).map((record, k) => {
    const { source } = record;
    if ('error' in record) {
      return { survey: { source, refused: `changed while it was read: ${record.error}` } };
    }
    let value: unknown;
    try {
      value = JSON.parse(record.text);
    } catch (error) {
      const line = range.lines[k] ?? 0;
      const refused = `is not valid JSON: a record ${(error as Error).message} at line ${line}`;
      return { survey: { source, refused } };
    }
    const early = range.judgeEarly ? range.first + k : undefined;
    return surveyAndNormalize({ source, value }, false, reading, early);
  });
}

/** One record normalized, or why not (a deletion notice says the resource is gone). */
function normalizeRecord(
  inventory: ProviderInventory,
  record: NativeRecord,
  context: InventoryContext,
): Normalized {
  try {
    return { resource: inventory.normalize(record, context) };
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    const skipped = { input: error.source, reason: error.reason };
    if (!(error instanceof ResourceDeletedNotice)) return { skipped };
    return {
      skipped,
      deleted: {
        provider: inventory.provider,
        resourceId: error.resourceId,
        deletedAt: error.deletedAt,
      },
    };
  }
}

/**
 * The second pass over one parsed document: its records normalized, but
 * those the first pass took as context only. A document the first pass
 * could not place or unwrap gives nothing: it was reported then.
 */
export function normalizeDocument(
  document: { readonly source: string; readonly value: unknown },
  wholeFile: boolean,
  contextOnly: readonly number[] | undefined,
  reading: Reading,
): Normalized[] {
  const placed = placeDocument(document, wholeFile, reading);
  if ('skipped' in placed) return [];
  const context = reading.contexts.of(placed.inventory.provider);
  const skip = new Set(contextOnly);
  const normalized: Normalized[] = [];
  for (const [index, record] of placed.records.entries()) {
    if (skip.has(index)) continue;
    normalized.push(normalizeRecord(placed.inventory, record, context));
  }
  return normalized;
}

/** After the second pass: each provider's resources made only of context. */
export function* leftovers(reading: Reading): Generator<Resource> {
  for (const provider of reading.contexts.providers()) {
    const inventory = reading.inventories.find((inv) => inv.provider === provider);
    yield* inventory?.leftovers(reading.contexts.of(provider)) ?? [];
  }
}

/**
 * Turns native inventories into normalized resources in two streaming passes:
 * the first collects the facts that span records (firstPass), the second
 * normalizes every record; then each provider's leftovers (context-only
 * records that never met their resource).
 */
export async function* normalizeInventory(options: NormalizeOptions): AsyncGenerator<Normalized> {
  const first = await firstPass(options);
  for (const skipped of first.skipped) yield { skipped };
  let seen = 0;
  for (const input of options.inputs) {
    const mode = first.modes.get(input);
    for await (const document of readDocuments(input, mode)) {
      if ('error' in document) continue;
      const contextOnly = first.contextOnly.get(document.source);
      for (const item of normalizeDocument(
        document,
        mode === 'whole',
        contextOnly,
        first.reading,
      )) {
        if (++seen % PROGRESS_EVERY === 0) options.onProgress?.(seen);
        yield item;
      }
    }
  }
  for (const resource of leftovers(first.reading)) yield { resource };
}
