// A thread of the scan's evaluation pool: one policy engine of its own and a
// copy of the first pass's contexts, judging the batches of jobs the scan
// sends (documents to parse and normalize, or resources), each answered with
// the outcomes in the order of the batch.
import { parentPort } from 'node:worker_threads';
import { PolicyEngine, type PolicyBundle } from '@drift-detective/policy-engine';
import type { Provider } from '@drift-detective/resource-model';
import { INVENTORIES } from '../inventories.js';
import { InventoryContexts, type Reading } from '../normalize-inventory.js';
import { judgeJobs, type Job, type Judge, type Outcome } from './judge.js';

/** The first message: the bundle to load, the rules the scan reports, and how to read documents. */
export interface WorkerSetup {
  readonly bundle: PolicyBundle;
  readonly rules: readonly string[];
  /** --provider, when given. */
  readonly provider: Provider | undefined;
  readonly scanTime: string;
}

/** After the first pass: its contexts, by provider (normalizing only reads them). */
export interface WorkerContexts {
  readonly contexts: readonly (readonly [Provider, [string, unknown][]])[];
}

/** A batch to judge, and the answer: one list of outcomes per job. */
export interface WorkerBatch {
  readonly id: number;
  readonly jobs: readonly Job[];
}
export type WorkerAnswer =
  | { readonly id: number; readonly outcomes: Outcome[][] }
  | { readonly id: number; readonly fault: string };

const port = parentPort;
if (port) {
  let ready: Promise<Omit<Judge, 'reading'>> | undefined;
  // Surveys of the first pass read no context; what is normalized after it reads its copy.
  let reading: Reading | undefined;
  port.on('message', (message: WorkerSetup | WorkerContexts | WorkerBatch) => {
    if ('contexts' in message) {
      if (reading) {
        const contexts = new InventoryContexts(reading.contexts.scanTime, message.contexts);
        reading = { ...reading, contexts };
      }
      return;
    }
    if ('bundle' in message) {
      const rules = new Set(message.rules);
      reading = {
        inventories: INVENTORIES,
        provider: message.provider,
        contexts: new InventoryContexts(message.scanTime),
      };
      ready = PolicyEngine.load(message.bundle).then((engine) => ({
        engine,
        includeRule: (ruleId: string) => rules.has(ruleId),
      }));
      // A bundle that does not load fails the first batch, which names why.
      ready.catch(() => undefined);
      return;
    }
    const batch = message;
    // The contexts as they were when the batch came, whatever comes while the engine loads.
    const current = reading;
    void (async () => {
      try {
        if (!ready || !current)
          throw new Error('the evaluation thread got a batch before its bundle');
        // A first-pass survey waits for the engine too: the records that need no context are
        // judged as they are surveyed.
        const by: Judge = { ...(await ready), reading: current };
        const outcomes = judgeJobs(batch.jobs, by);
        port.postMessage({ id: batch.id, outcomes } satisfies WorkerAnswer);
      } catch (error) {
        port.postMessage({
          id: batch.id,
          fault: error instanceof Error ? error.message : String(error),
        } satisfies WorkerAnswer);
      }
    })();
  });
}
