// Reading Cloud Asset exports: the sample, recorded exports from the corpus, and broken ones.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GcpSeedError, recordsOfExport } from './seed.js';

const root = new URL('../../../../', import.meta.url).pathname;
const corpus = path.join(root, 'libs', 'providers', 'gcp', 'test', 'fixtures', 'corpus', 'gcp');

describe('recordsOfExport', () => {
  it('reads the sample export: one record per line, content type per line', () => {
    const records = recordsOfExport(
      readFileSync(path.join(root, 'samples', 'gcp', 'cloud-asset-export.ndjson'), 'utf8'),
    );
    expect(records).toHaveLength(20);
    const bucket = records.filter((r) => r.name === '//storage.googleapis.com/acme-public-assets');
    expect(bucket.map((r) => r.contentType)).toEqual(['RESOURCE', 'IAM_POLICY']);
    expect(bucket[0]!.asset['iamPolicy']).toBeUndefined();
  });

  it.each(readdirSync(corpus).filter((f) => f.startsWith('cai-export-')))(
    'reads the recorded export %s',
    (file) => {
      const assets = JSON.parse(readFileSync(path.join(corpus, file), 'utf8')) as unknown[];
      const ndjson = assets.map((a) => JSON.stringify(a)).join('\n');
      expect(recordsOfExport(ndjson).length).toBeGreaterThanOrEqual(assets.length);
    },
  );

  it('reads lowerCamelCase lines too', () => {
    const [record] = recordsOfExport(
      JSON.stringify({
        name: '//x/y',
        assetType: 'x/Y',
        iamPolicy: { bindings: [] },
        updateTime: '2025-01-01T00:00:00.5Z',
      }),
    );
    expect(record).toMatchObject({
      contentType: 'IAM_POLICY',
      asset: { updateTime: { nanos: 500_000_000 } },
    });
  });

  it.each([
    ['{nope', 'line 1 is not JSON'],
    ['[]', 'line 1 is not a JSON object'],
    ['{"asset_type":"x/Y","resource":{}}', 'line 1 has no asset name'],
    ['{"name":"//x/y","resource":{}}', 'line 1 (//x/y) has no "asset_type"'],
    ['{"name":"//x/y","asset_type":"x/Y"}', 'line 1 (//x/y) holds no content'],
    [
      '{"name":"//x/y","asset_type":"x/Y","resource":{"colour":1}}',
      'line 1: asset.resource: google.cloud.asset.v1.Resource has no field colour',
    ],
    [
      '{"name":"//x/y","asset_type":"x/Y","update_time":"yesterday","resource":{}}',
      'line 1: asset.update_time: yesterday is not an RFC 3339 time',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => recordsOfExport(`\n${text}`.trim())).toThrow(GcpSeedError);
    expect(() => recordsOfExport(text)).toThrow(message);
  });
});
