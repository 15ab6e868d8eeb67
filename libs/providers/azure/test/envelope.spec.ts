import { NormalizeError } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { azureInventory } from '../src/index.js';
import {
  cassetteBodies,
  corpusFile,
  corpusFiles,
  must,
  native,
  nativeFiles,
  newContext,
} from './helpers.js';

const { detect, unwrap } = azureInventory;

describe('unwrap', () => {
  it('Resource Graph table answer: positional rows zipped with column names', () => {
    const [, graph] = cassetteBodies('azure/cassette-resource-graph-and-arm-storage.json');
    const records = unwrap(must(graph).body, 'graph.json');
    // totalRecords says 18; the recording kept one row.
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      provider: 'azure',
      source: 'graph.json[0]',
      value: {
        type: 'microsoft.storage/storageaccounts',
        name: 'cctstoragey6akyqpagdt3o',
        resourceGroup: 'test_storage',
        subscriptionId: 'ea42f556-5106-4743-99b0-c129bfa71a47',
        plan: null,
        properties: { supportsHttpsTrafficOnly: false },
      },
    });
  });

  it('Resource Graph table rows shorter than the columns keep only the cells they have', () => {
    const records = unwrap(
      {
        data: {
          columns: [
            { name: 'id', type: 'string' },
            { name: 'type', type: 'string' },
          ],
          rows: [['/subscriptions/x'], 7],
        },
      },
      'short.json',
    );
    expect(records.map((r) => r.value)).toEqual([{ id: '/subscriptions/x' }, 7]);
  });

  it('a table whose columns have no names cannot be read', () => {
    expect(() => unwrap({ data: { columns: [{ type: 'string' }], rows: [] } }, 't.json')).toThrow(
      NormalizeError,
    );
  });

  it.each([
    { file: 'resource-graph-objectarray-answer.json', sources: ['f[0]', 'f[1]'] },
    { file: 'az-graph-query-output.json', sources: ['f[0]'] },
    { file: 'dd-db-001-violating-open-firewall.json', sources: ['f[0]', 'f[1]'] },
    { file: 'dd-storage-002-violating-public-container.json', sources: ['f[0]', 'f[1]'] },
    { file: 'virtual-machine-instance-view.json', sources: ['f'] },
    { file: 'resource-graph-rows.ndjson', sources: ['f:1', 'f:2'] },
  ])('$file', ({ file, sources }) => {
    const records = unwrap(native(file), 'f');
    expect(records.map((r) => r.source)).toEqual(sources);
    expect(records.every((r) => r.provider === 'azure')).toBe(true);
  });

  it('ARM list pages, the empty last one included', () => {
    const pages = cassetteBodies('azure/cassette-keyvault-list-paged.json');
    expect(pages.map(({ body, source }) => unwrap(body, source).length)).toEqual([1, 0]);
  });

  it('a plain list of pages and answers', () => {
    const pages = cassetteBodies('azure/cassette-keyvault-list-paged.json').map((p) => p.body);
    const answer = native('az-graph-query-output.json');
    const records = unwrap([...pages, answer], 'mixed.json');
    expect(records.map((r) => r.source)).toEqual(['mixed.json[0][0]', 'mixed.json[2][0]']);
  });

  it('NDJSON: a line that does not parse is a record that normalize reports with its line', () => {
    const text = `${native('resource-graph-rows.ndjson') as string}{"id": "/subscriptions/x", "type\n`;
    const records = unwrap(text, 'rows.ndjson');
    expect(records.map((r) => r.source)).toEqual([
      'rows.ndjson:1',
      'rows.ndjson:2',
      'rows.ndjson:3',
    ]);
    expect(() => azureInventory.normalize(must(records[2]), newContext())).toThrow(
      /^rows\.ndjson:3: record is a JSON string that does not parse$/,
    );
  });

  it.each([
    { what: 'a number', value: 42 },
    { what: 'null', value: null },
    { what: 'an AWS Config item', value: corpusFile('aws/config-ci-api-s3-bucket.json') },
  ])('rejects $what with a NormalizeError', ({ value }) => {
    expect(() => unwrap(value, 'x.json')).toThrow(NormalizeError);
  });
});

describe('detect', () => {
  const azureInputs = [
    ...nativeFiles().map((file) => ({ what: file, document: native(file) })),
    ...corpusFiles('azure').flatMap((file) =>
      cassetteBodies(file).map(({ body, source }) => ({ what: source, document: body })),
    ),
  ];

  it.each(azureInputs)('recognizes $what', ({ document }) => {
    expect(detect(document)).toBe(true);
  });

  const foreign = [...corpusFiles('aws'), ...corpusFiles('gcp')];

  it.each(foreign)('rejects %s', (file) => {
    const document = corpusFile(file);
    expect(detect(document)).toBe(false);
    // Also when unwrapped from their own envelopes, as another provider would hand them over.
    const inner = Array.isArray(document) ? document : Object.values(document as object);
    for (const value of inner) expect(detect(value)).toBe(false);
  });

  it.each([
    {
      what: 'a vcrpy cassette (test storage, not an input)',
      value: corpusFile('azure/cassette-nsg-list.json'),
    },
    { what: 'an empty list', value: [] },
    { what: 'a Resource Graph-like answer without rows or metadata', value: { data: [] } },
    {
      what: 'a GCP asset with an ARM-looking type',
      value: { id: '/subscriptions/x', type: 'storage.googleapis.com/Bucket' },
    },
    {
      what: 'an object with an ARN',
      value: { id: '/subscriptions/x', type: 'Microsoft.X/y', arn: 'arn:aws:s3:::b' },
    },
    { what: 'NDJSON text of AWS items', value: '{"configurationItem": {}}\n' },
    { what: 'text that is not JSON', value: 'hello' },
  ])('rejects $what', ({ value }) => {
    expect(detect(value)).toBe(false);
  });
});
