import { appendFile } from 'node:fs/promises';
import type { DeadLetterSink, ReceivedEvent } from '../interfaces.js';

/**
 * Where a pushed event that can never be judged goes: one JSON line per event
 * (when, why, where from, and the body as delivered) appended to a file. A
 * push sender (Event Grid, Pub/Sub) has its own dead-lettering, but only for
 * deliveries it gave up on; an event we acknowledge as unreadable would
 * otherwise leave no trace but a log line. A failed append throws, so the
 * event is not acknowledged and comes again.
 */
export class DeadLetterFile implements DeadLetterSink {
  constructor(private readonly file: string) {}

  async put(event: ReceivedEvent, reason: string): Promise<void> {
    const line = JSON.stringify({
      at: new Date().toISOString(),
      id: event.id,
      source: event.source,
      receiveCount: event.receiveCount,
      reason,
      body: event.body,
    });
    await appendFile(this.file, `${line}\n`, { mode: 0o600 });
  }
}
