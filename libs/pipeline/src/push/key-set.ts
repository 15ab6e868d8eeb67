import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { SettingsError } from '../adapter/settings.js';

/**
 * A push endpoint's signing keys from a setting: an https URL (the identity
 * provider's published keys, fetched and cached by the verifier) or a JSON
 * Web Key Set file (tests, air-gapped hosts). `setting` names the flag in the
 * error.
 */
export function readKeySet(jwks: string, setting: string): URL | JSONWebKeySet {
  if (/^https:\/\//i.test(jwks)) return new URL(jwks);
  try {
    return JSON.parse(readFileSync(jwks, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new SettingsError(
      `${setting} ${jwks} is neither an https URL nor a readable JSON Web Key Set file: ${(error as Error).message}`,
    );
  }
}
