/**
 * The PostgreSQL schema, one step per version; the table `drift_schema`
 * records each applied step (its version and when), so a database's version
 * is its highest row. Steps are append-only: a shipped step is never edited.
 *
 * The tables are those of the SQLite schema (migrations.ts) after all its
 * steps. Every text column is COLLATE "C" so PostgreSQL compares and orders
 * them by bytes as SQLite does, whatever the database's collation: `ORDER BY
 * id` and the observed-at comparison (ISO-8601 text) give SQLite's answers,
 * and `lower()` folds ASCII only, like SQLite's NOCASE. `record` is TEXT, not
 * jsonb: the JSON is kept exactly as written, key order included.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE findings (
     id TEXT COLLATE "C" PRIMARY KEY,
     provider TEXT COLLATE "C" NOT NULL,
     account TEXT COLLATE "C" NOT NULL,
     resource_id TEXT COLLATE "C" NOT NULL,
     rule_id TEXT COLLATE "C" NOT NULL,
     status TEXT COLLATE "C" NOT NULL CHECK (status IN ('ACTIVE', 'RESOLVED', 'SUPPRESSED')),
     pending_transition TEXT COLLATE "C",
     record TEXT NOT NULL
   );
   CREATE INDEX findings_by_resource ON findings (provider, resource_id, account);
   -- findingsOf with idCaseInsensitive: lower(resource_id) = lower($n COLLATE "C").
   CREATE INDEX findings_by_resource_folded ON findings (provider, lower(resource_id));
   CREATE INDEX findings_by_status ON findings (provider, status);
   CREATE INDEX findings_unpublished ON findings (pending_transition) WHERE pending_transition IS NOT NULL;
   -- Sweep checkpoints: where a sweep got to, which resources it saw, and when
   -- it started (kept across its resumed runs).
   CREATE TABLE sweep_checkpoints (
     sweep_id TEXT COLLATE "C" PRIMARY KEY,
     cursor TEXT NOT NULL,
     skipped INTEGER NOT NULL DEFAULT 0,
     updated_at TEXT COLLATE "C" NOT NULL,
     started_at TEXT COLLATE "C"
   );
   CREATE TABLE sweep_seen (
     sweep_id TEXT COLLATE "C" NOT NULL,
     resource_id TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (sweep_id, resource_id)
   );
   -- The newest observed state of each resource, findings or not: an older
   -- state delivered late never overrides a newer one.
   CREATE TABLE resource_observations (
     provider TEXT COLLATE "C" NOT NULL,
     account TEXT COLLATE "C" NOT NULL,
     resource_id TEXT COLLATE "C" NOT NULL,
     observed_at TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (provider, account, resource_id)
   );`,
  // Which run has claimed a finding's pending transition to send (StateAccess.claim):
  // that run's key, held as a session advisory lock while the run lives.
  `ALTER TABLE findings ADD COLUMN claimed_by BIGINT;`,
  // The open findings of a provider in id order, a page at a time (a scan reads them so to
  // find what vanished), without sorting every open finding for each page.
  `CREATE INDEX IF NOT EXISTS findings_open_by_id ON findings (provider, id) WHERE status <> 'RESOLVED';`,
];

/** Records the applied steps; created, if missing, under the migration lock. */
export const SCHEMA_TABLE_DDL = `CREATE TABLE IF NOT EXISTS drift_schema (
  version INTEGER PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/**
 * The transaction-level advisory lock every migration takes, so workers
 * starting at once migrate one after another (the later ones find nothing
 * left to do). Its value is the ASCII of "driftsch" read as a big-endian
 * int64; lock ids of resources are sha256-derived and never meant to meet it.
 */
export const SCHEMA_LOCK_ID = '7237963439899108200';
