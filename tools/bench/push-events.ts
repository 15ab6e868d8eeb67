// What the push endpoints' event benchmarks share (Azure's Event Grid webhook,
// GCP's Pub/Sub push): the cloud's stand-in in a process of its own, the
// endpoint wired as `serve` wires it with its metrics kept in memory, the
// ceiling (events handed over as fast as the endpoint takes them) and the
// latency at a sustained rate of half the ceiling.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import {
  createMemoryMetrics,
  pushEventSource,
  silentLogger,
  type DeadLetterSink,
  type MemoryMetrics,
  type PushEventSource,
  type Route,
} from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { percentiles, type EventRun } from './event-results.js';

/** A push endpoint running in this process. */
export interface Endpoint {
  readonly concurrency: number;
  readonly metrics: MemoryMetrics;
  /** The adapter's push route (its authentication aside: what comes after it is measured). */
  readonly route: Route;
  /** Reasons of what was dead-lettered. */
  readonly deadLettered: readonly string[];
  /** Refuses new deliveries, finishes those taken, closes the runtime. */
  stop(): Promise<void>;
}

/** What opening an adapter's runtime takes (the options its `open…Runtime` reads). */
export interface RuntimeOptions<C> {
  readonly config: C;
  readonly engine: PolicyEngine;
  readonly logger: typeof silentLogger;
  readonly dryRunOut: NodeJS.WritableStream & Writable;
  readonly metrics: MemoryMetrics;
}

/**
 * An adapter's push endpoint as its `serve` wires it: its runtime opened
 * with metrics kept in memory, a push source holding twice `concurrency`
 * events, the pipeline running on it, the route handing it deliveries, and
 * a dead-letter sink that keeps the reasons.
 */
export async function openEndpoint<C extends { readonly concurrency: number }, R>(options: {
  readonly config: C;
  readonly engine: PolicyEngine;
  readonly open: (options: RuntimeOptions<C>) => Promise<R & { close(): Promise<void> }>;
  readonly serve: (
    runtime: R,
    push: PushEventSource,
    deadLetter: DeadLetterSink,
  ) => Promise<unknown>;
  readonly route: (push: PushEventSource, deadLetter: DeadLetterSink) => Route;
}): Promise<Endpoint> {
  const { config } = options;
  const metrics = createMemoryMetrics();
  const runtime = await options.open({
    config,
    engine: options.engine,
    logger: silentLogger,
    dryRunOut: process.stdout,
    metrics,
  });
  const push = pushEventSource({ maxBuffered: config.concurrency * 2 });
  const deadLettered: string[] = [];
  const deadLetter: DeadLetterSink = {
    put: (_event, reason) => Promise.resolve(void deadLettered.push(reason)),
  };
  const serving = options.serve(runtime, push, deadLetter);
  return {
    concurrency: config.concurrency,
    metrics,
    route: options.route(push, deadLetter),
    deadLettered,
    async stop() {
      push.close();
      await serving;
      await runtime.close();
    },
  };
}

/** Lets every request in: the bench measures what comes after a route's authentication. */
export const admitAll = (): Promise<void> => Promise.resolve();

/**
 * A cloud's stand-in in a process of its own (stand-in-process.ts), as the
 * cloud is: what it spends answering is not counted as the adapter's time.
 */
export async function startStandInProcess(
  cloud: 'gcp' | 'azure',
): Promise<{ env: Record<string, string>; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=development',
      path.join(import.meta.dirname, 'stand-in-process.ts'),
      cloud,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  const { env } = JSON.parse(first) as { env: Record<string, string> };
  return { env, stop: () => void child.kill('SIGTERM') };
}

/** A push request as the sender makes it: its JSON body and headers. */
export interface PushRequest {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Hands a request to the route as the server would (the route takes plain
 * data, as a serverless entry calls it), and throws unless it is answered
 * done for good (2xx).
 */
async function send(route: Route, request: PushRequest, what: string): Promise<void> {
  const body = Buffer.from(JSON.stringify(request.body));
  const answer = await route.handle({
    method: 'POST',
    path: route.path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...request.headers },
    body: () => Promise.resolve(body),
    signal: AbortSignal.timeout(60_000),
  });
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${what} not acked: ${answer.status} ${String(answer.body ?? '')}`);
  }
}

/**
 * The ceiling, then p50/p99 at half of it, each run on a fresh state. Event
 * `i` of a run comes from `eventOf` (which may first change the resource it
 * is about in the stand-in); every event must be acked.
 */
export async function measurePushEvents(options: {
  readonly cloud: string;
  readonly hub: string;
  readonly quota?: string | undefined;
  readonly events: number;
  readonly start: (statePath: string) => Promise<Endpoint>;
  readonly eventOf: (run: 'burst' | 'live', i: number) => Promise<PushRequest>;
}): Promise<EventRun> {
  const { events } = options;
  const dir = await mkdtemp(path.join(tmpdir(), `drift-${options.cloud}-events-`));
  try {
    // Ceiling: as many deliveries open as the endpoint buffers (more are answered busy).
    const burst = await options.start(path.join(dir, 'burst.db'));
    const window = burst.concurrency * 2;
    let next = 0;
    let began = performance.now();
    await Promise.all(
      Array.from({ length: window }, async () => {
        for (let i = next++; i < events; i = next++) {
          await send(burst.route, await options.eventOf('burst', i), `event ${i}`);
        }
      }),
    );
    const ceiling = (events / (performance.now() - began)) * 1000;
    await burst.stop();
    if (burst.deadLettered.length > 0) throw new Error(`dead-lettered: ${burst.deadLettered[0]}`);

    // Sustained: half the ceiling, each event sent on its time without waiting for the one before.
    const pace = Math.max(1, ceiling / 2);
    const live = await options.start(path.join(dir, 'live.db'));
    const receiptToAck: number[] = [];
    const pending: Promise<void>[] = [];
    began = performance.now();
    for (let i = 0; i < events; i++) {
      const due = began + (i / pace) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const request = await options.eventOf('live', i);
      const sent = performance.now();
      pending.push(
        send(live.route, request, `event ${i}`).then(() => {
          receiptToAck.push((performance.now() - sent) / 1000);
        }),
      );
    }
    // The rate reached, which the time making each event can hold below the pace.
    const sustained = (events / (performance.now() - began)) * 1000;
    await Promise.all(pending);
    await live.stop();
    return {
      cloud: options.cloud,
      hub: options.hub,
      events,
      concurrency: burst.concurrency,
      ceilingPerSecond: ceiling,
      sustainedPerSecond: sustained,
      receiptToAck: percentiles(receiptToAck),
      own: percentiles(live.metrics.eventOwnDurations),
      hubCalls: live.metrics.publishDurations.length,
      quota: options.quota,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
