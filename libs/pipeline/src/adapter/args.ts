import { parseArgs } from 'node:util';
import { UsageError } from '../command/exit.js';
import type { FlagValuesOf, SettingsSpec } from './settings.js';

export interface ParsedAdapterArgs<S extends SettingsSpec> {
  readonly flags: FlagValuesOf<S>;
  /** --config FILE, when given. */
  readonly configFile: string | undefined;
  readonly help: boolean;
}

/**
 * An adapter's flags: one per setting (a list may repeat), plus --config and
 * --help. A flag it does not know, or one missing its value, is a usage error.
 */
export function parseAdapterArgs<S extends SettingsSpec>(
  args: readonly string[],
  spec: S,
): ParsedAdapterArgs<S> {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } };
  for (const setting of Object.values(spec)) {
    options[setting.flag] =
      setting.kind === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', ...(setting.kind === 'list' ? { multiple: true } : {}) };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: [...args], options }).values;
  } catch (error) {
    // node:util parseArgs throws TypeErrors for unknown or malformed options: usage errors.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
  const flags: Record<string, string | readonly string[] | boolean> = {};
  for (const [key, setting] of Object.entries(spec)) {
    const value = values[setting.flag];
    if (value !== undefined) flags[key] = value as string | string[] | boolean;
  }
  return {
    flags: flags as FlagValuesOf<S>,
    configFile: typeof values['config'] === 'string' ? values['config'] : undefined,
    help: values['help'] === true,
  };
}
