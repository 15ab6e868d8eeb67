/**
 * Sets these environment variables on process.env (undefined: unset); the
 * returned function puts every one back as it was. In-process clients read
 * their configuration from process.env when constructed, so a test points
 * them at a stand-in this way.
 */
export function applyEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const put = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  put(vars);
  return () => put(saved);
}

/** Runs `body` with these environment variables set, then puts them back, whatever `body` does. */
export async function withEnv<T>(
  vars: Readonly<Record<string, string | undefined>>,
  body: () => Promise<T>,
): Promise<T> {
  const restore = applyEnv(vars);
  try {
    return await body();
  } finally {
    restore();
  }
}
