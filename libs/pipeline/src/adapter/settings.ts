import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** How a setting's text is read: a list, a string, a switch, a whole number ≥ 1, a port. */
export type SettingKind = 'list' | 'string' | 'boolean' | 'count' | 'port';

/** One setting: its kind, its flag, its environment variable and its config-file key. */
export interface SettingSpec {
  readonly kind: SettingKind;
  readonly flag: string;
  readonly env: string;
  readonly file: string;
  /** A path in a config file is relative to that file. */
  readonly path?: boolean;
}

export type SettingsSpec = Readonly<Record<string, SettingSpec>>;

/** A setting that cannot be used, named by where it came from: a usage error. */
export class SettingsError extends Error {
  override readonly name: string = 'SettingsError';
}

/** Flag values as parsed from the command line: strings, string lists, booleans. */
export type FlagValuesOf<S extends SettingsSpec> = Partial<
  Record<keyof S, string | readonly string[] | boolean | undefined>
>;

export interface SettingsSources<S extends SettingsSpec> {
  readonly flags?: FlagValuesOf<S> | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** A config file; default: $DRIFT_CONFIG when set. */
  readonly file?: string | undefined;
}

/** The environment variable naming the config file. */
export const CONFIG_FILE_ENV = 'DRIFT_CONFIG';

/** Each setting's value, read and checked, or undefined where nothing set it. */
export type SettingValues<S extends SettingsSpec> = { readonly [K in keyof S]: unknown };

/**
 * Reads every setting of a spec from a flag, else the environment, else a
 * config file (YAML or JSON), leaving defaults to the caller. A key the file
 * does not know, or a value of the wrong kind, is a SettingsError naming it.
 */
export function readSettings<S extends SettingsSpec>(
  spec: S,
  sources: SettingsSources<S> = {},
): SettingValues<S> {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const filePath = sources.file ?? nonBlank(env[CONFIG_FILE_ENV]);
  const file = filePath === undefined ? {} : readConfigFile(filePath, spec);
  const known = new Set(Object.values(spec).map((s) => s.file));
  for (const key of Object.keys(file)) {
    if (!known.has(key)) {
      throw new SettingsError(
        `${filePath}: unknown setting '${key}' (known: ${[...known].join(', ')})`,
      );
    }
  }
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(spec)) {
    const flag = (flags as Record<string, unknown>)[key];
    const fromEnv = nonBlank(env[setting.env]);
    const fromFile = file[setting.file];
    values[key] =
      flag !== undefined
        ? read(setting.kind, flag, `--${setting.flag}`)
        : fromEnv !== undefined
          ? read(setting.kind, fromEnv, setting.env)
          : fromFile !== undefined && fromFile !== null
            ? read(setting.kind, fromFile, `${filePath}: ${setting.file}`)
            : undefined;
  }
  return values as SettingValues<S>;
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readConfigFile(file: string, spec: SettingsSpec): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsError(
      `config file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let parsed: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    parsed = parseYaml(text);
  } catch (error) {
    throw new SettingsError(`config file ${file} is not YAML or JSON: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(`config file ${file} must hold a mapping of settings`);
  }
  const settings = parsed as Record<string, unknown>;
  // A relative state, waiver or bundle path in a file means relative to that file.
  for (const setting of Object.values(spec)) {
    const entry = settings[setting.file];
    if (
      setting.path &&
      typeof entry === 'string' &&
      entry !== '' &&
      !path.isAbsolute(entry) &&
      // A URL (a postgresql:// state) is not a path.
      !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)
    ) {
      settings[setting.file] = path.resolve(path.dirname(file), entry);
    }
  }
  return settings;
}

function read(kind: SettingKind, raw: unknown, origin: string): unknown {
  switch (kind) {
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') {
        throw new SettingsError(`${origin} must be a non-empty string`);
      }
      return raw.trim();
    case 'list':
      return readList(raw, origin);
    case 'boolean':
      return readBoolean(raw, origin);
    case 'count':
      return readCount(raw, origin);
    case 'port': {
      const port = readCount(raw, origin);
      if (port > 65_535) throw new SettingsError(`${origin} must be a port (1–65535), not ${port}`);
      return port;
    }
  }
}

/** A list: repeated flags, comma-separated text, or a YAML sequence of strings. */
function readList(raw: unknown, origin: string): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((entry: unknown) => {
    if (typeof entry !== 'string') throw new SettingsError(`${origin} must list strings`);
    return entry.split(',');
  });
  const list = parts.map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0) throw new SettingsError(`${origin} is empty`);
  return [...new Set(list)];
}

function readBoolean(raw: unknown, origin: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|1|yes)$/i.test(raw)) return true;
  if (typeof raw === 'string' && /^(false|0|no)$/i.test(raw)) return false;
  throw new SettingsError(`${origin} must be true or false, not '${String(raw)}'`);
}

function readCount(raw: unknown, origin: string): number {
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isInteger(number) || number < 1) {
    throw new SettingsError(`${origin} must be a whole number of at least 1, not '${String(raw)}'`);
  }
  return number;
}
