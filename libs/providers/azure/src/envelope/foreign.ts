import { isObject } from '../decode/json.js';

/** Keys only AWS Config items, events and recordings carry. */
const AWS_KEYS = [
  'configurationItem',
  'configurationItems',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configurationItemDiff',
  'awsAccountId',
  'awsRegion',
  'invokingEvent',
  'status_code',
];

/** Keys only Cloud Asset Inventory records carry (API camelCase and export snake_case). */
const GCP_KEYS = ['assetType', 'asset_type', 'iamPolicy', 'iam_policy'];

/**
 * Whether an object is another cloud's record or envelope: AWS Config items (and
 * their events, placebo recordings), anything named by an ARN, Cloud Asset
 * records, GCP full resource names ("//storage.googleapis.com/…") and REST kinds
 * ("storage#bucket"), or a recorded GCP call ({headers, body}).
 */
export function isForeign(value: unknown): boolean {
  if (!isObject(value)) return false;
  const has = (key: string) => Object.hasOwn(value, key);
  if (AWS_KEYS.some(has) || GCP_KEYS.some(has)) return true;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  if (/^arn:/i.test(text('arn')) || /^arn:/i.test(text('ARN'))) return true;
  if (/^AWS::/.test(text('resourceType'))) return true;
  if (text('name').startsWith('//') || text('kind').includes('#')) return true;
  if (/googleapis\.com/i.test(text('selfLink')) || /googleapis\.com/i.test(text('type'))) {
    return true;
  }
  return has('headers') && has('body');
}
