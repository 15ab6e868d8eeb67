/**
 * A labelled counter that remembers its counts, keyed `label=value,…` in
 * label order: what a test hands a handler in place of a Prometheus counter,
 * to read what it counted.
 */
export function countingCounter() {
  const counts = new Map<string, number>();
  return {
    inc(labels: Record<string, string>, value = 1) {
      const key = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      counts.set(key, (counts.get(key) ?? 0) + value);
    },
    get: (key: string) => counts.get(key) ?? 0,
  };
}
