/**
 * The schema, one step per version; `PRAGMA user_version` records how far a
 * file has come. Steps are append-only: a shipped step is never edited.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE findings (
     id TEXT PRIMARY KEY,
     provider TEXT NOT NULL,
     account TEXT NOT NULL,
     resource_id TEXT NOT NULL,
     rule_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'RESOLVED', 'SUPPRESSED')),
     pending_transition TEXT,
     record TEXT NOT NULL
   );
   CREATE INDEX findings_by_resource ON findings (provider, resource_id, account);
   CREATE INDEX findings_by_status ON findings (provider, status);
   CREATE INDEX findings_unpublished ON findings (pending_transition) WHERE pending_transition IS NOT NULL;`,
];
