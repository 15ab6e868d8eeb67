import { readFile } from 'node:fs/promises';
import { parseWaivers } from './parse.js';
import { WaiverFileError, type Waiver } from './waiver.js';

/**
 * Reads and checks a waiver file. A missing file means no waivers; a file that
 * exists but cannot be read, or does not follow the format, throws
 * WaiverFileError — an unreadable file must not pass as "nothing waived".
 */
export async function loadWaivers(path: string): Promise<Waiver[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    const reason = error instanceof Error ? error.message : String(error);
    throw new WaiverFileError(path, [{ line: null, message: `cannot read: ${reason}` }]);
  }
  return parseWaivers(text, path);
}
