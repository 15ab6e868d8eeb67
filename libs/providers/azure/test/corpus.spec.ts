import { assertValidResource, builtPolicyEngine } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_TYPES, canonicalType } from '../src/index.js';
import { cassetteBodies, corpusFiles, scan } from './helpers.js';

/**
 * Corpus records that cannot be normalized, by source, with the reason. Every
 * recorded Azure record is readable today, so the list is empty; a record that
 * starts failing must be added here with its reason, never skipped silently.
 */
const UNREADABLE: Record<string, string> = {};

/** Records taken as context only (normalized as part of another resource). */
const CONTEXT_ONLY = new Set([
  'cassette-storage-accounts-list-2021-blob-services.json#1',
  'cassette-sql-server-firewall-rules.json#1[0]',
  'cassette-sql-server-firewall-rules.json#1[1]',
]);

describe.each(corpusFiles('azure'))('corpus %s', (file) => {
  const result = scan(cassetteBodies(file));

  it('has records', () => {
    expect(result.records.length).toBeGreaterThan(0);
  });

  it('normalizes every record, or lists why not', () => {
    expect(Object.fromEntries(result.errors.map((e) => [e.source, e.reason]))).toEqual(
      Object.fromEntries(
        Object.entries(UNREADABLE).filter(([source]) => source.startsWith(`${file.slice(6)}#`)),
      ),
    );
  });

  it('takes only child records as context', () => {
    for (const record of result.contextOnly) expect(CONTEXT_ONLY.has(record.source)).toBe(true);
    expect(result.leftovers).toEqual([]);
  });

  it('every resource passes the schema and evaluates; supported types get their kind, others "other"', async () => {
    const engine = await builtPolicyEngine();
    for (const resource of result.resources) {
      assertValidResource(resource, resource.id);
      expect(engine.evaluate(resource), resource.id).toEqual(engine.evaluateEveryRule(resource));
      const type = canonicalType(resource.nativeType);
      const expected = type === null ? 'other' : SUPPORTED_TYPES[type];
      expect(resource.kind, resource.id).toBe(expected === 'context' ? 'other' : expected);
      expect(resource.provider).toBe('azure');
      expect(resource.account).toBe('ea42f556-5106-4743-99b0-c129bfa71a47');
    }
  });

  it('is deterministic', () => {
    expect(scan(cassetteBodies(file)).resources).toEqual(result.resources);
  });
});
