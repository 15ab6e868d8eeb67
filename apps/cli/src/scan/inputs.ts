import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../usage.js';

/** One file to read, and how to name it in messages. */
export interface InputFile {
  readonly path: string;
  readonly label: string;
}

/** The one-line reason a file or folder cannot be read: the code a user can look up. */
export function readFailure(label: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? `permission denied (${code})`
        : (code ?? (error as Error).message);
  return new UsageError(`cannot read ${label}: ${why}`, { showUsage: false });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw readFailure(dir, error);
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue; // .DS_Store, .gitkeep and the like
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * Stdin is read twice (context pass, then evaluation pass), so it is copied to
 * a private temporary file first; nothing is held in memory.
 */
async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-stdin-'));
  const file = path.join(dir, 'stdin');
  await pipeline(process.stdin, createWriteStream(file, { mode: 0o600 }));
  return file;
}

/** Extensions read from a folder; a file named on the command line is read whatever its name. */
export const INVENTORY_EXTENSIONS = ['.json', '.ndjson', '.jsonl'];

export interface ResolvedInputs {
  readonly files: InputFile[];
  /** Files in the given folders that are not JSON or NDJSON by name (READMEs and the like). */
  readonly ignored: string[];
}

/** Expands --input values: a file, a folder (its JSON/NDJSON files, recursively, as one inventory) or "-". */
export async function resolveInputs(values: readonly string[]): Promise<ResolvedInputs> {
  if (values.length === 0)
    throw new UsageError('scan needs at least one --input (a file, a folder, or - for stdin)');
  const inputs: InputFile[] = [];
  const ignored: string[] = [];
  for (const value of values) {
    if (value === '-') {
      inputs.push({ path: await spoolStdin(), label: '<stdin>' });
      continue;
    }
    const info = await stat(value).catch((error: unknown) => {
      throw readFailure(value, error);
    });
    if (info.isDirectory()) {
      const all = await filesUnder(value);
      const files = all.filter((f) =>
        INVENTORY_EXTENSIONS.some((ext) => f.toLowerCase().endsWith(ext)),
      );
      ignored.push(...all.filter((f) => !files.includes(f)));
      if (files.length === 0) {
        throw new UsageError(`folder ${value} holds no ${INVENTORY_EXTENSIONS.join('/')} files`);
      }
      inputs.push(...files.map((file) => ({ path: file, label: file })));
    } else {
      inputs.push({ path: value, label: value });
    }
  }
  return { files: inputs, ignored };
}
