import { describe, expect, it } from 'vitest';
import { awsInventory } from '../../src/index.js';
import { corpus, corpusFiles, defined, native, nativeFiles } from '../helpers.js';

describe('detect', () => {
  it.each(corpusFiles('aws'))('recognises %s', (file) => {
    expect(awsInventory.detect(corpus(file))).toBe(true);
  });

  it.each(nativeFiles())('recognises the fixture %s', (file) => {
    expect(awsInventory.detect(native(file))).toBe(true);
  });

  it('recognises a bare SQS message, an SNS notification and a Config snapshot file', () => {
    const page = corpus('aws/placebo-sqs-config-notification-s3-created.json') as {
      data: { Messages: { Body: string }[] };
    };
    const message = defined(page.data.Messages[0]);
    expect(awsInventory.detect(message)).toBe(true);
    expect(awsInventory.detect(JSON.parse(message.Body))).toBe(true);
    expect(awsInventory.detect({ fileVersion: '1.0', configurationItems: [] })).toBe(true);
  });

  describe('rejects the other clouds', () => {
    it.each(corpusFiles('azure').concat(corpusFiles('gcp')))('%s', (file) => {
      expect(awsInventory.detect(corpus(file))).toBe(false);
    });

    it('Azure ARM resources and Resource Graph answers inside a cassette', () => {
      const cassette = corpus('azure/cassette-resource-graph-and-arm-storage.json') as {
        interactions: { response: { body: { data: unknown } } }[];
      };
      const bodies = cassette.interactions.map((i) => i.response.body.data);
      expect(bodies.length).toBeGreaterThan(1);
      for (const body of bodies) {
        expect(awsInventory.detect(body)).toBe(false);
        const value = (body as { value?: unknown[] }).value;
        for (const resource of value ?? []) expect(awsInventory.detect(resource)).toBe(false);
      }
      const graph = bodies.find((b) => typeof b === 'object' && b !== null && 'totalRecords' in b);
      expect(graph).toBeDefined();
    });

    it('Azure SQL answers kept as raw text', () => {
      const cassette = corpus('azure/cassette-sql-server-firewall-rules.json') as {
        interactions: { response: { body: { string: string } } }[];
      };
      for (const interaction of cassette.interactions) {
        const body = JSON.parse(interaction.response.body.string) as { value?: unknown[] };
        expect(awsInventory.detect(body)).toBe(false);
        for (const resource of body.value ?? []) expect(awsInventory.detect(resource)).toBe(false);
      }
    });

    it('Cloud Asset records (snake_case export, camelCase API) and GCP REST bodies', () => {
      const exported = corpus('gcp/cai-export-sql-authorized-networks.json') as unknown[];
      for (const record of exported) expect(awsInventory.detect(record)).toBe(false);
      const history = corpus('gcp/flight-cloudasset-batch-get-assets-history.json') as {
        body: { assets: { asset: unknown }[] };
      };
      expect(awsInventory.detect(history.body)).toBe(false);
      for (const entry of history.body.assets) expect(awsInventory.detect(entry.asset)).toBe(false);
      for (const file of [
        'gcp/flight-kms-cryptokey-get.json',
        'gcp/flight-compute-firewall-get-all-open.json',
      ]) {
        expect(awsInventory.detect((corpus(file) as { body: unknown }).body)).toBe(false);
      }
    });

    it('an Event Grid event and a Pub/Sub push message', () => {
      expect(
        awsInventory.detect([
          {
            topic: '/subscriptions/00000000-0000-0000-0000-000000000000',
            subject: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg',
            eventType: 'Microsoft.Resources.ResourceWriteSuccess',
            data: {
              resourceUri: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg',
            },
          },
        ]),
      ).toBe(false);
      expect(
        awsInventory.detect({
          message: { data: 'eyJhc3NldCI6e319', messageId: '1', attributes: {} },
          subscription: 'projects/p/subscriptions/s',
        }),
      ).toBe(false);
    });
  });

  it('rejects empty and scalar documents', () => {
    for (const document of [[], {}, null, 42, 'text', [1, 2]]) {
      expect(awsInventory.detect(document)).toBe(false);
    }
  });
});
