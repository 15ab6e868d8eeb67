import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqlite, type SqlDatabase, type SqlStatement } from '@drift-detective/findings';

/** A resource state the scan keeps: the latest one read of each resource. */
export interface KeptState {
  readonly id: string;
  readonly provider: string;
  readonly account: string;
  readonly observedAt: string;
  /** The evaluation this state came from, in reading order. */
  readonly seq: number;
}

/** What a newer state or a deletion took the place of: its evaluation and its findings' severities. */
export interface Replaced {
  readonly seq: number;
  readonly severities: readonly string[];
}

/** Writes grouped into one transaction: a temporary file needs no durability, only speed. */
const WRITES_PER_TRANSACTION = 10_000;

const SCHEMA = `
  PRAGMA journal_mode = OFF;
  PRAGMA synchronous = OFF;
  PRAGMA temp_store = FILE;
  CREATE TABLE states (
    id TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, account TEXT NOT NULL,
    observed_at TEXT NOT NULL, seq INTEGER NOT NULL, severities TEXT NOT NULL
  );
  CREATE TABLE deletions (
    id TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, deleted_at TEXT
  );
  CREATE TABLE deleted (provider TEXT NOT NULL, id TEXT NOT NULL);
  CREATE TABLE state_findings (seq INTEGER PRIMARY KEY, findings TEXT NOT NULL);
  CREATE TABLE reported (
    id TEXT NOT NULL UNIQUE, record TEXT NOT NULL, claimed_elsewhere INTEGER NOT NULL DEFAULT 0
  );
`;

/**
 * A scan's working set on disk: the latest state of every resource read, the
 * deletions, the findings of each kept state (for --state) and what the state
 * sync reports, in a temporary SQLite file. The scan's memory then stays the
 * same whatever the number of resources; the directory also holds the sorted
 * runs of the report (SortedSpill) and goes with `close()`.
 */
export class ScanWorkspace {
  readonly directory: string;
  private readonly db: SqlDatabase;
  private readonly sql: Statements;
  private writes = 0;
  private kept = 0;
  private replaced = 0;
  private nextSeq = 0;
  private deletedCount = 0;

  private constructor(directory: string) {
    this.directory = directory;
    this.db = openSqlite(path.join(directory, 'scan.db')).db;
    this.db.exec(SCHEMA);
    this.sql = statementsOf(this.db);
    this.db.exec('BEGIN');
  }

  /** A new workspace in a directory of its own under the system's temporary directory. */
  static open(): ScanWorkspace {
    return new ScanWorkspace(mkdtempSync(path.join(tmpdir(), 'drift-detective-scan-')));
  }

  /** Resources whose latest state is kept (deleted ones excluded once deletions are applied). */
  get resources(): number {
    return this.kept;
  }

  /** True once a kept state was replaced by a newer one or ended by a deletion. */
  get anyReplaced(): boolean {
    return this.replaced > 0;
  }

  /** Deletions that ended a resource (applyDeletions). */
  get deletions(): number {
    return this.deletedCount;
  }

  /**
   * Keeps `state` as its resource's latest unless the state kept is newer
   * (a history file holds several states of one resource: the latest one
   * decides; of two with one time, the one read last). Answers the sequence
   * number the state is kept under, and what it replaced, or undefined when
   * it is older than what is kept.
   */
  observe(
    state: Omit<KeptState, 'seq'>,
    severities: readonly string[],
  ): { seq: number; replaced?: Replaced } | undefined {
    const seq = this.nextSeq;
    const text = severities.join(',');
    // Most resources have one state: one statement for them, the look-up only for the others.
    const inserted = this.sql.insertNewState.run(
      state.id,
      state.provider,
      state.account,
      state.observedAt,
      seq,
      text,
    ) as { changes: number | bigint };
    if (Number(inserted.changes) === 1) {
      this.nextSeq++;
      this.kept++;
      this.wrote();
      return { seq };
    }
    const previous = this.sql.stateOf.get(state.id) as
      { seq: number; observed_at: string; severities: string } | undefined;
    if (previous === undefined) throw new Error(`the state of ${state.id} is neither new nor kept`);
    if (previous.observed_at > state.observedAt) return undefined;
    this.nextSeq++;
    this.sql.updateState.run(state.provider, state.account, state.observedAt, seq, text, state.id);
    this.replaced++;
    this.wrote();
    return {
      seq,
      replaced: { seq: previous.seq, severities: splitSeverities(previous.severities) },
    };
  }

  /** A deletion notice: the latest one of each resource is kept (one without a time counts as oldest). */
  recordDeletion(deletion: {
    provider: string;
    resourceId: string;
    deletedAt?: string | undefined;
  }) {
    const previous = this.sql.deletionOf.get(deletion.resourceId) as
      { deleted_at: string | null } | undefined;
    if (previous !== undefined && (deletion.deletedAt ?? '') <= (previous.deleted_at ?? '')) return;
    this.sql.upsertDeletion.run(deletion.resourceId, deletion.provider, deletion.deletedAt ?? null);
    this.wrote();
  }

  /**
   * Ends the resources whose deletion came after their latest state (or that
   * were never seen): their state goes, with its findings. A deletion without
   * a time ends only resources not seen. Calls `onReplaced` for each state ended.
   */
  applyDeletions(onReplaced: (replaced: Replaced) => void): void {
    for (const rows of this.pages<{ id: string; provider: string; deleted_at: string | null }>(
      this.sql.deletionsAfter,
    )) {
      for (const deletion of rows) {
        const state = this.sql.stateOf.get(deletion.id) as
          { seq: number; observed_at: string; severities: string } | undefined;
        const after =
          state === undefined ||
          (deletion.deleted_at !== null && deletion.deleted_at > state.observed_at);
        if (!after) continue;
        if (state !== undefined) {
          this.sql.removeState.run(deletion.id);
          this.kept--;
          this.replaced++;
          onReplaced({ seq: state.seq, severities: splitSeverities(state.severities) });
        }
        this.sql.insertDeleted.run(deletion.provider, deletion.id);
        this.deletedCount++;
        this.wrote();
      }
    }
  }

  /** Whether `seq` is the kept state of `resourceId`. */
  isCurrent(resourceId: string, seq: number): boolean {
    const row = this.sql.currentSeq.get(resourceId) as { seq: number } | undefined;
    return row?.seq === seq;
  }

  /** Whether a state of `resourceId` is kept. */
  isObserved(resourceId: string): boolean {
    return this.sql.currentSeq.get(resourceId) !== undefined;
  }

  /** The kept states, in batches of up to `size`, in the order they were first read. */
  *observedBatches(size: number): Generator<KeptState[]> {
    for (const rows of this.pages<{
      id: string;
      provider: string;
      account: string;
      observed_at: string;
      seq: number;
    }>(this.sql.statesAfter, size)) {
      yield rows.map((r) => ({
        id: r.id,
        provider: r.provider,
        account: r.account,
        observedAt: r.observed_at,
        seq: r.seq,
      }));
    }
  }

  /** Resources ended by a deletion, in batches of up to `size`. */
  *deletedBatches(size: number): Generator<{ provider: string; resourceId: string }[]> {
    for (const rows of this.pages<{ provider: string; id: string }>(this.sql.deletedAfter, size)) {
      yield rows.map((r) => ({ provider: r.provider, resourceId: r.id }));
    }
  }

  /** Keeps the findings of an evaluation, for the state sync to read by resource. */
  saveFindings(seq: number, findings: readonly unknown[]): void {
    this.sql.saveFindings.run(seq, JSON.stringify(findings));
    this.wrote();
  }

  /** The findings saved for an evaluation (none when it had none). */
  findingsOf<T>(seq: number): T[] {
    const row = this.sql.findingsOf.get(seq) as { findings: string } | undefined;
    return row ? (JSON.parse(row.findings) as T[]) : [];
  }

  /** Keeps a record to report, replacing one kept under its id. */
  keepReported(id: string, record: unknown): void {
    this.sql.keepReported.run(id, JSON.stringify(record));
    this.wrote();
  }

  /** Notes that another live run has claimed the pending transition of a kept record. */
  markClaimedElsewhere(id: string): void {
    this.sql.markElsewhere.run(id);
    this.wrote();
  }

  hasReported(id: string): boolean {
    return this.sql.reportedOf.get(id) !== undefined;
  }

  /** The records kept to report, in batches, each with whether another run claimed it. */
  *reportedBatches<T>(size: number): Generator<{ record: T; claimedElsewhere: boolean }[]> {
    for (const rows of this.pages<{ record: string; claimed_elsewhere: number }>(
      this.sql.reportedAfter,
      size,
    )) {
      yield rows.map((r) => ({
        record: JSON.parse(r.record) as T,
        claimedElsewhere: r.claimed_elsewhere === 1,
      }));
    }
  }

  /** Removes the workspace and everything in its directory. */
  close(): void {
    try {
      this.db.close();
    } finally {
      rmSync(this.directory, { recursive: true, force: true });
    }
  }

  /** Rows of a `… WHERE rowid > ? ORDER BY rowid LIMIT ?` statement, page after page. */
  private *pages<T>(statement: SqlStatement, size = 1_000): Generator<T[]> {
    let after = 0;
    for (;;) {
      const rows = statement.all(after, size) as (T & { rowid: number })[];
      const last = rows.at(-1);
      if (last === undefined) return;
      after = last.rowid;
      yield rows;
      if (rows.length < size) return;
    }
  }

  private wrote(): void {
    if (++this.writes % WRITES_PER_TRANSACTION !== 0) return;
    this.db.exec('COMMIT');
    this.db.exec('BEGIN');
  }
}

function splitSeverities(text: string): string[] {
  return text === '' ? [] : text.split(',');
}

/** The workspace's statements, prepared once. */
function statementsOf(db: SqlDatabase) {
  const prepare = (sql: string): SqlStatement => db.prepare(sql);
  return {
    stateOf: prepare('SELECT seq, observed_at, severities FROM states WHERE id = ?'),
    insertNewState: prepare(
      `INSERT INTO states (id, provider, account, observed_at, seq, severities) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    updateState: prepare(
      'UPDATE states SET provider = ?, account = ?, observed_at = ?, seq = ?, severities = ? WHERE id = ?',
    ),
    deletionOf: prepare('SELECT deleted_at FROM deletions WHERE id = ?'),
    upsertDeletion: prepare(
      `INSERT INTO deletions (id, provider, deleted_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, deleted_at = excluded.deleted_at`,
    ),
    deletionsAfter: prepare(
      'SELECT rowid, id, provider, deleted_at FROM deletions WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    removeState: prepare('DELETE FROM states WHERE id = ?'),
    insertDeleted: prepare('INSERT INTO deleted (provider, id) VALUES (?, ?)'),
    deletedAfter: prepare(
      'SELECT rowid, provider, id FROM deleted WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    statesAfter: prepare(
      'SELECT rowid, id, provider, account, observed_at, seq FROM states WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    currentSeq: prepare('SELECT seq FROM states WHERE id = ?'),
    saveFindings: prepare('INSERT INTO state_findings (seq, findings) VALUES (?, ?)'),
    findingsOf: prepare('SELECT findings FROM state_findings WHERE seq = ?'),
    keepReported: prepare(
      `INSERT INTO reported (id, record) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
    ),
    markElsewhere: prepare('UPDATE reported SET claimed_elsewhere = 1 WHERE id = ?'),
    reportedOf: prepare('SELECT 1 FROM reported WHERE id = ?'),
    reportedAfter: prepare(
      'SELECT rowid, record, claimed_elsewhere FROM reported WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
  };
}
type Statements = ReturnType<typeof statementsOf>;
