// In-process clients read their configuration from process.env (DefaultAzureCredential reads
// IDENTITY_ENDPOINT / IDENTITY_HEADER / AZURE_TOKEN_CREDENTIALS when constructed), so a test
// points them at a stand-in by setting its `env` there, and puts the old values back after.

/** Sets `env` on process.env; the returned function restores what was there. */
export function applyEnv(env: Readonly<Record<string, string>>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
