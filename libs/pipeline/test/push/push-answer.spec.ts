import { describe, expect, it } from 'vitest';
import { pushAnswer } from '../../src/push/push-answer.js';

describe('pushAnswer', () => {
  it('is 200 only when every event is acked (an empty batch too)', () => {
    expect(pushAnswer([])).toEqual({ status: 200 });
    expect(pushAnswer([{ id: 'a', status: 'acked' }])).toEqual({ status: 200 });
  });

  it('is 503 with the longest retry hint and the first reason otherwise', () => {
    expect(
      pushAnswer([
        { id: 'a', status: 'acked' },
        { id: 'b', status: 'nacked', reason: 'hub throttled', retryAfterMs: 90_500 },
        { id: 'c', status: 'refused', reason: 'timeout' },
      ]),
    ).toEqual({
      status: 503,
      retryAfterSeconds: 91,
      reason: '2 of 3 event(s) not done (b: failed: hub throttled)',
    });
  });
});
