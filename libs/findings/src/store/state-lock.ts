import { randomUUID } from 'node:crypto';
import {
  closeSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a state file: what a waiting or refused run tells its user. */
export interface StateLockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  readonly token: string;
}

/**
 * The lock of another host is taken as abandoned when it has not been
 * refreshed for this long (its holder refreshes it every HEARTBEAT_MS): a
 * process cannot be asked whether it lives on another machine (an EFS mount
 * shared by two Lambda execution environments).
 */
const STALE_MS = 120_000;
const HEARTBEAT_MS = 15_000;

/** A lock file seen between its creation and its first write. */
const STARTING: StateLockHolder = {
  pid: 0,
  host: 'this or another host',
  command: 'another run that is starting',
  since: '',
  token: '',
};

/** The file beside the state that says who writes it. */
export function lockFileOf(stateFile: string): string {
  return `${stateFile}.lock`;
}

export function describeHolder(holder: StateLockHolder): string {
  return `pid ${holder.pid} (${holder.command}) on ${holder.host} since ${holder.since}`;
}

function readHolder(lockFile: string): StateLockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as StateLockHolder;
  } catch {
    // Gone since, or half-written by a holder that is creating it: ask again.
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder that cannot be writing any more: its process is gone, or its heartbeat stopped. */
function abandoned(lockFile: string, holder: StateLockHolder, now: number): boolean {
  if (holder.host === hostname()) return !alive(holder.pid);
  try {
    return now - statSync(lockFile).mtimeMs > STALE_MS;
  } catch {
    return true;
  }
}

/** One writer's hold on a state file, released by `release()` (or by its process ending). */
export class StateLock {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly file: string,
    readonly holder: StateLockHolder,
  ) {
    this.heartbeat = setInterval(() => {
      try {
        const at = new Date();
        utimesSync(file, at, at);
      } catch {
        // Removed under us: nothing to keep alive.
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Takes the lock of `stateFile` when no live writer holds it; otherwise
   * answers who does. An abandoned lock (its process gone) is taken over.
   */
  static tryAcquire(stateFile: string, command: string): StateLock | StateLockHolder {
    const file = lockFileOf(stateFile);
    const holder: StateLockHolder = {
      pid: process.pid,
      host: hostname(),
      command,
      since: new Date().toISOString(),
      token: randomUUID(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        try {
          writeSync(fd, JSON.stringify(holder));
        } finally {
          closeSync(fd);
        }
        return new StateLock(file, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(file);
      if (current && !abandoned(file, current, Date.now())) return current;
      if (current) {
        try {
          unlinkSync(file);
        } catch {
          // Another run took it over first; the next attempt sees its lock.
        }
      }
    }
    return readHolder(file) ?? { ...STARTING, since: holder.since };
  }

  /** Gives the state file up: only this holder's lock is removed, never a successor's. */
  release(): void {
    clearInterval(this.heartbeat);
    const current = readHolder(this.file);
    if (current?.token !== this.holder.token) return;
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }
}
