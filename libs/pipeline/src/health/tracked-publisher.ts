import type { FindingRecord } from '@drift-detective/findings';
import {
  isPartialPublishFailure,
  type PartialPublishFailure,
  type Publisher,
} from '../interfaces.js';
import type { DependencyProbe } from './dependency-health.js';

/**
 * A publisher that tells `hub` how each call to the hub ended. A refusal of
 * part of the batch, or a refusal for good (invalid input, access denied),
 * counts as a success: the hub answered, and the pipeline counts and keeps
 * those findings itself. Only a batch refused whole for reasons that may pass
 * (throttling, 5xx, the network) is a failure: publishers report those as a
 * partial failure of every finding too (Security Hub's does), so the shape of
 * the error alone does not tell.
 */
export function trackedPublisher(inner: Publisher, hub: DependencyProbe): Publisher {
  return {
    async publish(batch) {
      // Nothing to send need not reach the hub: it says nothing about it.
      if (batch.length === 0) return inner.publish(batch);
      try {
        await inner.publish(batch);
      } catch (error) {
        if (isPartialPublishFailure(error) && hubAnswered(batch, error)) hub.succeeded();
        else hub.failed(error);
        throw error;
      }
      hub.succeeded();
    },
  };
}

function hubAnswered(batch: readonly FindingRecord[], failure: PartialPublishFailure): boolean {
  const refused = new Set(failure.rejected.map((r) => r.id));
  const someTaken = batch.some((f) => !refused.has(f.id));
  return someTaken || failure.rejected.every((r) => r.permanent);
}
