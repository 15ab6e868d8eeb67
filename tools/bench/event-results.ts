// What an event benchmark measured, one cloud at a time, and where it goes:
// bench/results/events-<cloud>.json, read back by the suite into one table.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workspaceRoot } from './paths.js';

/** p50 and p99, in milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface EventRun {
  readonly cloud: string;
  /** The hub the findings went to, and how it was reached. */
  readonly hub: string;
  readonly events: number;
  /** Events the adapter takes at a time (its default setting). */
  readonly concurrency: number;
  /** Events per second with every event handed over at once. */
  readonly ceilingPerSecond: number;
  /** The rate the latency run reached, paced at half the ceiling. */
  readonly sustainedPerSecond: number;
  /** Receipt to ack (the finding in the hub), at the sustained rate. */
  readonly receiptToAck: Percentiles;
  /** The same less each event's hub calls: the latency the adapter adds. */
  readonly own: Percentiles;
  /** Publish calls the latency run made. */
  readonly hubCalls: number;
  /** What limits the ceiling in production, where it is the hub's quota. */
  readonly quota?: string | undefined;
}

const results = path.join(workspaceRoot, 'bench', 'results');

/** The p-th percentile (0–100) of durations in seconds, in milliseconds (one decimal). */
export function percentileMs(durations: readonly number[], p: number): number {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, at)] ?? Number.NaN) * 10_000) / 10;
}

/** p50 and p99 of durations in seconds. */
export function percentiles(durations: readonly number[]): Percentiles {
  return { p50: percentileMs(durations, 50), p99: percentileMs(durations, 99) };
}

/** Prints one run and keeps it for the suite's table. */
export async function writeEventResults(run: EventRun): Promise<void> {
  process.stdout.write(
    `${run.cloud}: ${run.events} events, concurrency ${run.concurrency}, hub ${run.hub}\n` +
      `  ceiling ${run.ceilingPerSecond.toFixed(0)} events/s; at ${run.sustainedPerSecond.toFixed(0)}/s: ` +
      `receipt to ack p50 ${run.receiptToAck.p50} ms, p99 ${run.receiptToAck.p99} ms; ` +
      `own p50 ${run.own.p50} ms, p99 ${run.own.p99} ms (${run.hubCalls} hub calls)\n`,
  );
  await mkdir(results, { recursive: true });
  await writeFile(
    path.join(results, `events-${run.cloud}.json`),
    `${JSON.stringify(run, null, 2)}\n`,
  );
}

/** The runs kept for `clouds`, as a markdown table (a cloud not run is left out). */
export async function eventTable(clouds: readonly string[]): Promise<string> {
  const rows: string[] = [];
  for (const cloud of clouds) {
    const text = await readFile(path.join(results, `events-${cloud}.json`), 'utf8').catch(
      () => undefined,
    );
    if (text === undefined) continue;
    const run = JSON.parse(text) as EventRun;
    rows.push(
      `| ${run.cloud} | ${run.hub} | ${run.events} | ${run.concurrency} | ` +
        `${run.ceilingPerSecond.toFixed(0)} | ${run.sustainedPerSecond.toFixed(0)} | ` +
        `${run.receiptToAck.p50} / ${run.receiptToAck.p99} | ${run.own.p50} / ${run.own.p99} | ` +
        `${run.quota ?? '—'} |`,
    );
  }
  return [
    '| cloud | hub | events | concurrency | ceiling events/s | sustained events/s | receipt → ack p50 / p99 ms | own p50 / p99 ms (hub calls taken off) | production limit |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
