/**
 * Where a state lives, as a user names it: a file path (SQLite) or a
 * PostgreSQL connection URL.
 */

/** Whether a state location is a PostgreSQL URL (postgres:// or postgresql://). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location.trim());
}

/** Query parameters of a connection URL that carry secrets (libpq and node-postgres names). */
const SECRET_PARAMS = ['password', 'sslpassword'];

/**
 * A connection URL fit for logs and errors: the password (in the user info
 * or as a query parameter) removed, the user kept. A URL that does not parse
 * is not echoed at all: it might be a password pasted in the wrong place.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'postgresql://<unparsable URL>';
  }
  if (parsed.password !== '') parsed.password = '';
  // Rewritten only when needed: URLSearchParams re-encodes every other parameter.
  const secrets = [...parsed.searchParams.keys()].filter((name) =>
    SECRET_PARAMS.includes(name.toLowerCase()),
  );
  for (const name of secrets) parsed.searchParams.delete(name);
  return parsed.toString();
}
