import { existsSync } from 'node:fs';
import { loadWaivers, WaiverFileError, type Waiver } from '@drift-detective/findings';
import { UsageError } from './exit.js';

/** The waiver file of a policy repo, read when it exists and no other is named. */
export const DEFAULT_WAIVERS = 'policies/waivers.yaml';

/** Loads the named waiver file (which must exist) or the default one (which may not). */
export async function waiversFrom(file: string | undefined): Promise<Waiver[]> {
  const chosen = file ?? DEFAULT_WAIVERS;
  if (file === undefined && !existsSync(chosen)) return [];
  if (!existsSync(chosen)) throw new UsageError(`waiver file ${chosen} does not exist`);
  try {
    return await loadWaivers(chosen);
  } catch (error) {
    if (error instanceof WaiverFileError) throw new UsageError(error.message);
    throw error;
  }
}
