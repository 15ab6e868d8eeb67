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
  // Sweep checkpoints: where a sweep got to and which resources it saw, so a
  // restarted sweep resumes after its last saved page and still knows, at the
  // end, which resources of its scope are gone.
  `CREATE TABLE sweep_checkpoints (
     sweep_id TEXT PRIMARY KEY,
     cursor TEXT NOT NULL,
     skipped INTEGER NOT NULL DEFAULT 0,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE sweep_seen (
     sweep_id TEXT NOT NULL,
     resource_id TEXT NOT NULL,
     PRIMARY KEY (sweep_id, resource_id)
   );`,
  // When a sweep started (kept across its resumed runs): a resource first seen
  // after that, by an event while the sweep ran, is not one the sweep missed.
  `ALTER TABLE sweep_checkpoints ADD COLUMN started_at TEXT;`,
  // The newest observed state of each resource, findings or not: an older state
  // delivered late (SQS does not keep order) never overrides a newer one, even
  // for a resource that was compliant and so has no finding to compare with.
  `CREATE TABLE resource_observations (
     provider TEXT NOT NULL,
     account TEXT NOT NULL,
     resource_id TEXT NOT NULL,
     observed_at TEXT NOT NULL,
     PRIMARY KEY (provider, account, resource_id)
   );`,
  // The open findings of a provider in id order, a page at a time (a scan reads them so to
  // find what vanished): without it each page sorted every open finding again.
  `CREATE INDEX IF NOT EXISTS findings_open_by_id ON findings (provider, id) WHERE status != 'RESOLVED';`,
];
