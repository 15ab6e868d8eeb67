import type { FindingRecord } from '@drift-detective/findings';
import {
  isPartialPublishFailure,
  type PartialPublishFailure,
  type Publisher,
} from '../interfaces.js';

interface Waiting {
  readonly batch: readonly FindingRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

/** A caller's share of a refused combined batch: only the refusals of its own findings. */
class ShareOfRefusal extends Error implements PartialPublishFailure {
  override readonly name = 'PublishRefused';
  constructor(
    readonly rejected: PartialPublishFailure['rejected'],
    cause: unknown,
  ) {
    super(rejected.map((r) => r.reason).join('; '), { cause });
  }
}

/**
 * Gathers the publishes of events handled at the same time into one call of
 * the hub: each event publishes its own resource's findings, and a hub that
 * allows ~10 requests a second (Security Hub) would otherwise cap the worker
 * at ~10 events with findings a second. A publish resolves when the combined
 * call took its findings; a refusal reaches only the callers whose findings
 * were refused.
 */
export class CoalescingPublisher implements Publisher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: Publisher,
    private readonly options: {
      /** How long the first publish waits for others to join it (default 50 ms). */
      readonly windowMs?: number;
      /** Findings that send the batch at once (default 100, Security Hub's batch size). */
      readonly maxFindings?: number;
    } = {},
  ) {}

  publish(batch: readonly FindingRecord[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      const total = this.waiting.reduce((n, w) => n + w.batch.length, 0);
      if (total >= (this.options.maxFindings ?? 100)) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs ?? 50);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.waiting;
    this.waiting = [];
    if (group.length === 0) return;
    try {
      await this.inner.publish(group.flatMap((w) => w.batch));
      for (const w of group) w.resolve();
    } catch (error) {
      for (const w of group) {
        if (!isPartialPublishFailure(error)) {
          w.reject(error);
          continue;
        }
        const ids = new Set(w.batch.map((f) => f.id));
        const mine = error.rejected.filter((r) => ids.has(r.id));
        if (mine.length === 0) w.resolve();
        else w.reject(new ShareOfRefusal(mine, error));
      }
    }
  }
}
