import { checkWaivers } from '@drift-detective/findings';
import { now } from './clock.js';
import type { CommandIo } from '@drift-detective/pipeline';
import { EXIT, UsageError } from './usage.js';
import { DEFAULT_WAIVERS, waiversFrom } from './waivers-source.js';

/**
 * drift-detective waivers check [--file F] [--within DAYS]: lists waivers that
 * expire soon and fails (exit 1) on expired ones, for CI in the policy repo.
 */
export async function waiversCheckCommand(
  options: { readonly file?: string | undefined; readonly within?: string | undefined },
  io: CommandIo,
): Promise<number> {
  const within = Number(options.within ?? '30');
  if (!Number.isInteger(within) || within < 0) {
    throw new UsageError(`--within must be a whole number of days, not '${options.within}'`);
  }
  const file = options.file ?? DEFAULT_WAIVERS;
  const waivers = await waiversFrom(file);
  const { expired, expiringSoon } = checkWaivers(waivers, now(), within);
  const describe = (w: (typeof waivers)[number]) =>
    `${w.rule} ${JSON.stringify(w.resource)} owner ${w.owner}, expires ${w.expires}${w.line ? ` (${file}:${w.line})` : ''}`;
  for (const w of expired) io.err(`expired: ${describe(w)}\n`);
  for (const w of expiringSoon) io.out(`expiring within ${within} days: ${describe(w)}\n`);
  io.out(
    `${waivers.length} waiver(s): ${expired.length} expired, ${expiringSoon.length} expiring within ${within} days.\n`,
  );
  return expired.length > 0 ? EXIT.findings : EXIT.ok;
}
