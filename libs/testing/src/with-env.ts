/**
 * Runs `body` with these environment variables set (undefined: unset), then
 * puts every one back as it was, whatever `body` does.
 */
export async function withEnv<T>(
  vars: Readonly<Record<string, string | undefined>>,
  body: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const put = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  put(vars);
  try {
    return await body();
  } finally {
    put(saved);
  }
}
