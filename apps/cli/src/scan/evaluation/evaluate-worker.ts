// A thread of the scan's evaluation pool: one policy engine of its own,
// judging the batches of resources the scan sends, each answered with the
// judgements in the order of the batch.
import { parentPort } from 'node:worker_threads';
import { PolicyEngine, type PolicyBundle } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import { judge } from './judge.js';

/** The first message: the bundle to load and the rules the scan reports. */
export interface WorkerSetup {
  readonly bundle: PolicyBundle;
  readonly rules: readonly string[];
}

/** A batch to judge, and the answer. */
export interface WorkerBatch {
  readonly id: number;
  readonly resources: readonly Resource[];
}
export type WorkerAnswer =
  | { readonly id: number; readonly judgements: ReturnType<typeof judge>[] }
  | { readonly id: number; readonly fault: string };

const port = parentPort;
if (port) {
  let ready:
    Promise<{ engine: PolicyEngine; includeRule: (ruleId: string) => boolean }> | undefined;
  port.on('message', (message: WorkerSetup | WorkerBatch) => {
    if ('bundle' in message) {
      const rules = new Set(message.rules);
      ready = PolicyEngine.load(message.bundle).then((engine) => ({
        engine,
        includeRule: (ruleId: string) => rules.has(ruleId),
      }));
      // A bundle that does not load fails the first batch, which names why.
      ready.catch(() => undefined);
      return;
    }
    const batch = message;
    void (async () => {
      try {
        if (!ready) throw new Error('the evaluation thread got a batch before its bundle');
        const { engine, includeRule } = await ready;
        const judgements = batch.resources.map((resource) => judge(engine, resource, includeRule));
        port.postMessage({ id: batch.id, judgements } satisfies WorkerAnswer);
      } catch (error) {
        port.postMessage({
          id: batch.id,
          fault: error instanceof Error ? error.message : String(error),
        } satisfies WorkerAnswer);
      }
    })();
  });
}
