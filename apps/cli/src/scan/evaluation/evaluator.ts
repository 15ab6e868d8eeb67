import { Worker } from 'node:worker_threads';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import type { WorkerAnswer, WorkerBatch, WorkerSetup } from './evaluate-worker.js';
import { judge, type Judgement } from './judge.js';

/** Called with each resource and its judgement, in the order the resources were pushed. */
export type OnJudged = (resource: Resource, judgement: Judgement) => void;

/**
 * Judges resources against the policy, in this thread or on a pool of
 * threads, and hands back the judgements in the order the resources came:
 * what the scan keeps (the latest state of each resource, the report's
 * order) never depends on which thread finished first.
 */
export interface Evaluator {
  /** Judges `resource`; may wait while enough work is already in flight. */
  push(resource: Resource): Promise<void>;
  /** Runs `step` once everything pushed before it has been handed over: it keeps its place. */
  inTurn(step: () => void): void;
  /** Waits until every resource pushed has been handed to `onJudged`. */
  drain(): Promise<void>;
  /** Stops the threads, if any. */
  close(): Promise<void>;
}

/** One engine, in this thread: each resource is judged as it is pushed. */
export function inThreadEvaluator(
  engine: PolicyEngine,
  includeRule: (ruleId: string) => boolean,
  onJudged: OnJudged,
): Evaluator {
  return {
    push: (resource) => {
      onJudged(resource, judge(engine, resource, includeRule));
      return Promise.resolve();
    },
    inTurn: (step) => step(),
    drain: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** Resources sent to a thread at a time: one message each way per batch, not per resource. */
const BATCH = 64;
/** Batches in flight per thread: enough to keep each busy, few enough to bound memory. */
const IN_FLIGHT_PER_THREAD = 4;

/** What a batch holds in order: resources to judge, and steps that keep their place among them. */
type Entry = { readonly resource: Resource } | { readonly step: () => void };

interface InFlight {
  readonly entries: readonly Entry[];
  readonly answer: Promise<Judgement[]>;
}

/**
 * `threads` engines, each on a worker thread of its own, loaded from the
 * bundle the scan read. Batches go to the threads in turn; the judgements
 * are taken back in the order the batches were sent.
 */
export function threadPoolEvaluator(options: {
  readonly engine: PolicyEngine;
  readonly rules: readonly string[];
  readonly threads: number;
  readonly onJudged: OnJudged;
}): Evaluator {
  const { engine, onJudged } = options;
  const setup: WorkerSetup = { bundle: engine.bundle, rules: options.rules };
  const waiting = new Map<number, { resolve(j: Judgement[]): void; reject(e: Error): void }>();
  let failure: Error | undefined;
  let closing = false;
  const fail = (error: Error) => {
    if (closing) return;
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  const workers = Array.from({ length: options.threads }, () => {
    const worker = new Worker(new URL('./evaluate-worker.js', import.meta.url));
    worker.on('message', (answer: WorkerAnswer) => {
      const waiter = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ('fault' in answer) fail(new Error(`an evaluation thread failed: ${answer.fault}`));
      else waiter?.resolve(answer.judgements);
    });
    worker.on('error', (error) => fail(new Error(`an evaluation thread failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`an evaluation thread exited with code ${code}`));
    });
    worker.postMessage(setup);
    return worker;
  });

  // What the policy does not read (native, unless the manifest says it may) is not copied over.
  const sent = (resource: Resource) => engine.policyView(resource);

  let batch: Entry[] = [];
  let batchResources = 0;
  let nextId = 0;
  const inFlight: InFlight[] = [];

  const send = () => {
    if (batch.length === 0) return;
    const id = nextId++;
    const entries = batch;
    batch = [];
    batchResources = 0;
    const resources = entries.flatMap((entry) => ('resource' in entry ? [entry.resource] : []));
    if (resources.length === 0) {
      inFlight.push({ entries, answer: Promise.resolve([]) });
      return;
    }
    const answer = new Promise<Judgement[]>((resolve, reject) => {
      if (failure) reject(failure);
      else waiting.set(id, { resolve, reject });
    });
    // Observed at once, so a failure never goes unhandled; taken in order below.
    answer.catch(() => undefined);
    const message: WorkerBatch = { id, resources: resources.map(sent) };
    workers[id % workers.length]?.postMessage(message);
    inFlight.push({ entries, answer });
  };

  /** Hands the oldest batch's judgements to onJudged, waiting for them if need be. */
  const takeOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    const judgements = (await oldest.answer).values();
    for (const entry of oldest.entries) {
      if ('step' in entry) {
        entry.step();
        continue;
      }
      const judgement = judgements.next();
      if (judgement.done)
        throw new Error('an evaluation thread answered fewer judgements than asked');
      onJudged(entry.resource, judgement.value);
    }
  };

  return {
    async push(resource) {
      if (failure) throw failure;
      batch.push({ resource });
      if (++batchResources < BATCH) return;
      send();
      while (inFlight.length > workers.length * IN_FLIGHT_PER_THREAD) await takeOldest();
    },
    inTurn(step) {
      if (batch.length === 0 && inFlight.length === 0) step();
      else batch.push({ step });
    },
    async drain() {
      send();
      while (inFlight.length > 0) await takeOldest();
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * Resources judged in this thread before the pool starts: starting threads
 * (each compiles the policy) costs more than a small scan takes.
 */
export const POOL_AFTER = 2_000;

/**
 * Judges in this thread, and moves to a pool of `threads` once more than
 * `poolAfter` resources came: small scans never pay for starting threads,
 * large ones use every core. Judgements keep the order of the resources
 * across the move (the first ones are handed over as they are judged).
 */
export function adaptiveEvaluator(options: {
  readonly engine: PolicyEngine;
  readonly includeRule: (ruleId: string) => boolean;
  readonly rules: readonly string[];
  readonly threads: number;
  readonly onJudged: OnJudged;
  readonly poolAfter?: number | undefined;
}): Evaluator {
  const inThread = inThreadEvaluator(options.engine, options.includeRule, options.onJudged);
  if (options.threads <= 1) return inThread;
  const poolAfter = options.poolAfter ?? POOL_AFTER;
  let active = inThread;
  let pushed = 0;
  return {
    push(resource) {
      if (++pushed > poolAfter && active === inThread) active = threadPoolEvaluator(options);
      return active.push(resource);
    },
    inTurn: (step) => active.inTurn(step),
    drain: () => active.drain(),
    close: () => active.close(),
  };
}
