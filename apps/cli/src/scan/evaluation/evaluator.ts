import { Worker } from 'node:worker_threads';
import type { Resource } from '@drift-detective/resource-model';
import type { WorkerAnswer, WorkerBatch, WorkerContexts, WorkerSetup } from './evaluate-worker.js';
import { normalizesOffThread } from '../normalize-inventory.js';
import { judgeJob, recordsIn, type Job, type Judge, type Outcome } from './judge.js';

/** Called with what each record came to, in the order the jobs were pushed. */
export type OnOutcome = (outcome: Outcome) => void;

/**
 * Judges jobs (resources, or documents to normalize first) against the
 * policy, in this thread or on a pool of threads, and hands back the
 * outcomes in the order the jobs came: what the scan keeps (the latest state
 * of each resource, the report's order) never depends on which thread
 * finished first.
 */
export interface Evaluator {
  /** Judges `job`; may wait while enough work is already in flight. */
  push(job: Job): Promise<void>;
  /** Runs `step` once everything pushed before it has been handed over: it keeps its place. */
  inTurn(step: () => void): void;
  /**
   * The first pass is over: what normalizing reads from its contexts is
   * complete, and goes to the threads before any job pushed after this.
   */
  shareContexts(): void;
  /** Waits until every job pushed has been handed to `onOutcome`. */
  drain(): Promise<void>;
  /** Stops the threads, if any. */
  close(): Promise<void>;
}

/** One engine, in this thread: each job is judged as it is pushed. */
export function inThreadEvaluator(by: Judge, onOutcome: OnOutcome): Evaluator {
  return {
    push: (job) => {
      for (const outcome of judgeJob(job, by)) onOutcome(outcome);
      return Promise.resolve();
    },
    inTurn: (step) => step(),
    // The jobs here read the contexts themselves.
    shareContexts: () => undefined,
    drain: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** Records sent to a thread at a time: one message each way per batch, not per record. */
export const BATCH_RECORDS = 64;
/** The young generation of each thread's heap (see threadPoolEvaluator). */
const YOUNG_GENERATION_MB = 16;

/** Batches in flight per thread: enough to keep each busy, few enough to bound memory. */
const IN_FLIGHT_PER_THREAD = 4;

/** What a batch holds in order: jobs to judge, and steps that keep their place among them. */
type Entry = { readonly job: Job } | { readonly step: () => void };

interface InFlight {
  readonly entries: readonly Entry[];
  /** One list of outcomes per job of the batch. */
  readonly answer: Promise<Outcome[][]>;
}

/**
 * `threads` engines, each on a worker thread of its own, loaded from the
 * bundle the scan read, with a copy of the first pass's contexts. Batches go
 * to the threads in turn; the outcomes are taken back in the order the
 * batches were sent.
 */
export function threadPoolEvaluator(options: {
  readonly judge: Judge;
  readonly rules: readonly string[];
  readonly threads: number;
  readonly onOutcome: OnOutcome;
}): Evaluator {
  const { onOutcome } = options;
  const { engine, reading } = options.judge;
  const setup: WorkerSetup = {
    bundle: engine.bundle,
    rules: options.rules,
    provider: reading.provider,
    scanTime: reading.contexts.scanTime,
  };
  const waiting = new Map<number, { resolve(j: Outcome[][]): void; reject(e: Error): void }>();
  let failure: Error | undefined;
  let closing = false;
  const fail = (error: Error) => {
    if (closing) return;
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  const workers = Array.from({ length: options.threads }, () => {
    // A young generation of 16 MB: a thread's garbage is short-lived (each record's text,
    // its parse and its resource), and V8's default sizing held 25 MB more per thread
    // for no speed (measured on a 100k-item AWS snapshot: 364 -> 312 MB peak, same time).
    const worker = new Worker(new URL('./evaluate-worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', (answer: WorkerAnswer) => {
      const waiter = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ('fault' in answer) fail(new Error(`an evaluation thread failed: ${answer.fault}`));
      else waiter?.resolve(answer.outcomes);
    });
    worker.on('error', (error) => fail(new Error(`an evaluation thread failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`an evaluation thread exited with code ${code}`));
    });
    worker.postMessage(setup);
    return worker;
  });

  // The native configuration, most of a resource's bytes, is not copied over when no rule
  // reads it (the manifest says): a finding is made of the other fields.
  const sent = (job: Job): Job => {
    if (!('resource' in job) || engine.readsField('native')) return job;
    const { native: _native, ...resource } = job.resource;
    return { resource: resource as Resource };
  };

  let batch: Entry[] = [];
  let batchRecords = 0;
  let nextId = 0;
  const inFlight: InFlight[] = [];

  const send = () => {
    if (batch.length === 0) return;
    const id = nextId++;
    const entries = batch;
    batch = [];
    batchRecords = 0;
    const jobs = entries.flatMap((entry) => ('job' in entry ? [entry.job] : []));
    if (jobs.length === 0) {
      inFlight.push({ entries, answer: Promise.resolve([]) });
      return;
    }
    const answer = new Promise<Outcome[][]>((resolve, reject) => {
      if (failure) reject(failure);
      else waiting.set(id, { resolve, reject });
    });
    // Observed at once, so a failure never goes unhandled; taken in order below.
    answer.catch(() => undefined);
    const message: WorkerBatch = { id, jobs: jobs.map(sent) };
    workers[id % workers.length]?.postMessage(message);
    inFlight.push({ entries, answer });
  };

  /** Hands the oldest batch's outcomes to onOutcome, waiting for them if need be. */
  const takeOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    const answers = (await oldest.answer).values();
    for (const entry of oldest.entries) {
      if ('step' in entry) {
        entry.step();
        continue;
      }
      const outcomes = answers.next();
      if (outcomes.done) throw new Error('an evaluation thread answered fewer jobs than asked');
      for (const outcome of outcomes.value) onOutcome(outcome);
    }
  };

  return {
    async push(job) {
      if (failure) throw failure;
      batch.push({ job });
      batchRecords += recordsIn(job);
      if (batchRecords < BATCH_RECORDS) return;
      send();
      while (inFlight.length > workers.length * IN_FLIGHT_PER_THREAD) await takeOldest();
    },
    inTurn(step) {
      if (batch.length === 0 && inFlight.length === 0) step();
      else batch.push({ step });
    },
    shareContexts() {
      // The batch before it goes first: its jobs were pushed before the contexts were complete.
      send();
      // Only the contexts of the clouds normalized on the threads: a GCP context (IAM
      // policies waiting for their resources) stays here, where GCP is normalized.
      const message: WorkerContexts = {
        contexts: reading.contexts.copies((provider) => normalizesOffThread(reading, provider)),
      };
      for (const worker of workers) worker.postMessage(message);
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
 * Records judged in this thread before the pool starts: starting threads
 * (each compiles the policy) costs more than a small scan takes.
 */
export const POOL_AFTER = 2_000;

/**
 * Judges in this thread, and moves to a pool of `threads` once more than
 * `poolAfter` records came: small scans never pay for starting threads, large
 * ones use every core. Outcomes keep the order of the jobs across the move
 * (the first ones are handed over as they are judged).
 */
export function adaptiveEvaluator(options: {
  readonly judge: Judge;
  readonly rules: readonly string[];
  readonly threads: number;
  readonly onOutcome: OnOutcome;
  readonly poolAfter?: number | undefined;
}): Evaluator {
  const inThread = inThreadEvaluator(options.judge, options.onOutcome);
  if (options.threads <= 1) return inThread;
  const poolAfter = options.poolAfter ?? POOL_AFTER;
  let active = inThread;
  let pushed = 0;
  let contextsShared = false;
  return {
    push(job) {
      pushed += recordsIn(job);
      if (pushed > poolAfter && active === inThread) {
        active = threadPoolEvaluator(options);
        if (contextsShared) active.shareContexts();
      }
      return active.push(job);
    },
    shareContexts() {
      contextsShared = true;
      active.shareContexts();
    },
    inTurn: (step) => active.inTurn(step),
    drain: () => active.drain(),
    close: () => active.close(),
  };
}
