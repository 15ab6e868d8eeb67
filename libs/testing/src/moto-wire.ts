import type { RequestInfo } from './fault-proxy.js';

/**
 * Timestamp members of AWS Config's configuration items. On the wire
 * (awsJson1_1) they are epoch seconds
 * (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html: timestamps
 * default to epoch-seconds); moto 5.2.5 writes Python's str(datetime) instead
 * ("2026-11-27 03:52:04.146439+00:00": moto/s3/models.py to_config_dict,
 * moto/iam/models.py, moto/s3control/config.py), which the JavaScript SDK
 * refuses ("Expected real number"; boto3 parses either).
 */
const CONFIG_TIMESTAMP_MEMBERS = new Set([
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'configurationItemDeliveryTime',
]);

const PYTHON_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;

export function epochSecondsOf(text: string): number | null {
  const match = PYTHON_DATETIME.exec(text);
  if (!match) return null;
  const [, day, time, zone] = match;
  // moto's naive datetimes (utcnow()) are UTC.
  return Date.parse(`${day}T${time}${zone ?? 'Z'}`) / 1000;
}

function rewriteTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteTimestamps);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const epoch =
      CONFIG_TIMESTAMP_MEMBERS.has(key) && typeof entry === 'string' ? epochSecondsOf(entry) : null;
    result[key] = epoch ?? rewriteTimestamps(entry);
  }
  return result;
}

/**
 * Makes moto's answers wire-true where moto deviates from the protocol the
 * SDKs speak: only AWS Config's timestamp members change; every other byte is
 * moto's. Null: the answer needs nothing.
 */
export function motoWireFix(request: RequestInfo, body: Buffer): Buffer | null {
  if (request.service !== 'config' || body.length === 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  return Buffer.from(JSON.stringify(rewriteTimestamps(parsed)), 'utf8');
}
