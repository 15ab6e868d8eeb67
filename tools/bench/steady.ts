// µs per resource of an engine's evaluateMany in its steady state, for the engine benchmarks.
import type { PolicyEngine } from '@drift-detective/policy-engine';

/**
 * Passes of `evaluateMany` over the whole list, after a warm-up pass, repeated until
 * `forNanos` have gone by: one pass over a thousand resources lasts tens of milliseconds,
 * too little for the JIT and the garbage collector to settle.
 */
export function steadyMicrosMany(
  engine: PolicyEngine,
  list: readonly object[],
  forNanos = 1_000_000_000n,
): number {
  engine.evaluateMany(list as never[]);
  const started = process.hrtime.bigint();
  let evaluated = 0;
  do {
    engine.evaluateMany(list as never[]);
    evaluated += list.length;
  } while (process.hrtime.bigint() - started < forNanos);
  return Number(process.hrtime.bigint() - started) / 1_000 / evaluated;
}
