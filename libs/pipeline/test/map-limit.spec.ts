import { describe, expect, it } from 'vitest';
import { mapLimit } from '../src/map-limit.js';

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running -= 1;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('throws the first failure once the started calls settled', async () => {
    const settled: number[] = [];
    const failing = mapLimit([1, 2, 3, 4], 2, async (n) => {
      await new Promise((resolve) => setTimeout(resolve, n * 5));
      settled.push(n);
      if (n === 1) throw new Error('one');
      return n;
    });
    await expect(failing).rejects.toThrow('one');
    expect(settled).toContain(2);
    expect(settled).not.toContain(4);
  });
});
