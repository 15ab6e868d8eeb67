import { describe, expect, it } from 'vitest';
import { topLevelResourceId } from '../../src/eventgrid/arm-parent.js';
import { roleOf } from '../../src/eventgrid/event-types.js';
import {
  DeliveryShapeError,
  parseDelivery,
  type GridEvent,
} from '../../src/eventgrid/grid-event.js';
import { changeNoticeOf } from '../../src/eventgrid/resource-change.js';
import { example, exampleNames } from './support.js';

const only = (body: unknown): GridEvent => {
  const [item, ...rest] = parseDelivery(body);
  expect(rest).toEqual([]);
  if (!item || !('event' in item)) throw new Error(`not read: ${JSON.stringify(item)}`);
  return item.event;
};

describe('parseDelivery on Microsoft’s example events', () => {
  it('reads every Event Grid schema example (delivered as an array)', () => {
    const names = exampleNames('event-grid-schema');
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      const raw = example('event-grid-schema', name);
      const event = only([raw]);
      expect([name, event.schema, event.id, event.type]).toEqual([
        name,
        'eventgrid',
        raw['id'],
        raw['eventType'],
      ]);
    }
  });

  it('reads every CloudEvents example, one structured event or a batch', () => {
    const names = exampleNames('cloud-events-schema');
    const batch = names.map((n) => example('cloud-events-schema', n));
    const items = parseDelivery(batch);
    expect(items.every((i) => 'event' in i && i.event.schema === 'cloudevents')).toBe(true);
    for (const raw of batch) expect(only(raw).type).toBe(raw['type']);
  });

  it('turns write and delete successes into notices that name the resource and the change', () => {
    for (const schema of ['event-grid-schema', 'cloud-events-schema'] as const) {
      const write = only([example(schema, 'resource_write_success.json')]);
      expect(roleOf(write.type)).toBe('write');
      const notice = changeNoticeOf(write, 'write');
      expect(notice).toMatchObject({
        operation: 'write',
        resourceId: expect.stringMatching(
          /^\/subscriptions\/.*\/Microsoft\.Storage\/storageAccounts\/\{storage-name\}$/,
        ),
        change: {
          changedBy: '{user-name}',
          changeType: 'Microsoft.Storage/storageAccounts/write',
          relatedEvents: [write.id, '{ID}'],
        },
      });
      expect('change' in notice && notice.change.changedAt).toMatch(
        /^2018-07-19T\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
      expect(roleOf(only([example(schema, 'resource_delete_success.json')]).type)).toBe('delete');
    }
  });

  it('leaves actions, failures and cancels to be ignored', () => {
    for (const schema of ['event-grid-schema', 'cloud-events-schema'] as const) {
      const ignored = exampleNames(schema).filter(
        (n) => !/^resource_(write|delete)_success/.test(n),
      );
      expect(ignored.length).toBeGreaterThan(0);
      for (const name of ignored)
        expect([name, roleOf(only([example(schema, name)]).type)]).toEqual([name, 'ignored']);
    }
  });

  it('reads the rest of a batch around an unreadable event', () => {
    const good = example('event-grid-schema', 'resource_write_success.json');
    const items = parseDelivery([
      good,
      42,
      { eventType: 'Microsoft.Resources.ResourceWriteSuccess' },
      { specversion: '0.3', id: 'x' },
    ]);
    expect(items.map((i) => ('event' in i ? 'event' : i.unreadable.code))).toEqual([
      'event',
      'not_an_event',
      'no_id',
      'unsupported_specversion',
    ]);
    const noResource = changeNoticeOf({ ...only([good]), subject: null, data: {} }, 'write');
    expect(noResource).toMatchObject({ code: 'no_resource_id' });
    const badTime = changeNoticeOf({ ...only([good]), time: 'yesterday' }, 'write');
    expect(badTime).toMatchObject({ code: 'bad_time' });
  });

  it('refuses a body that is no delivery', () => {
    for (const body of [{}, 'text', null, { eventType: 'x' }]) {
      expect(() => parseDelivery(body)).toThrow(DeliveryShapeError);
    }
  });
});

describe('topLevelResourceId', () => {
  const account =
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a';
  it('finds the top-level resource of a child, and none for a top-level id', () => {
    expect(topLevelResourceId(`${account}/blobServices/default/containers/c`)).toBe(account);
    expect(
      topLevelResourceId(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/x/firewallRules/r/',
      ),
    ).toBe('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/x');
    expect(topLevelResourceId(account)).toBeNull();
    expect(topLevelResourceId('/subscriptions/s/resourceGroups/rg')).toBeNull();
  });
});
