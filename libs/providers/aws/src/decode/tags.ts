import { compareStrings, isRecord, own, setKey, type JsonObject } from './values.js';

/**
 * The resource's tags. Config gives them in several places depending on the
 * type and the call: the item's `tags` map; supplementaryConfiguration.Tags as a
 * list of {key, value} (RDS), of {tagKey, tagValue} (KMS) or as a map (Lambda);
 * configuration.tags / tagList as lists (EC2, RDS cluster). The first place
 * that holds any tag wins. Keys are sorted so the output is stable.
 */
export function tagsOf(
  item: JsonObject,
  configuration: JsonObject | null,
  supplementary: JsonObject | null,
): Record<string, string> {
  const candidates = [
    own(item, 'tags'),
    supplementary ? own(supplementary, 'Tags') : undefined,
    configuration ? own(configuration, 'tags') : undefined,
    configuration ? own(configuration, 'tagList') : undefined,
    configuration ? own(configuration, 'Tags') : undefined,
  ];
  for (const candidate of candidates) {
    const pairs = tagPairs(candidate);
    if (pairs.length > 0) return sortedMap(pairs);
  }
  return {};
}

function tagPairs(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    const pairs: [string, string][] = [];
    for (const entry of value) {
      if (!isRecord(entry)) continue;
      const key = own(entry, 'key') ?? own(entry, 'tagKey') ?? own(entry, 'Key');
      const tagValue = own(entry, 'value') ?? own(entry, 'tagValue') ?? own(entry, 'Value');
      if (typeof key === 'string' && typeof tagValue === 'string') pairs.push([key, tagValue]);
    }
    return pairs;
  }
  if (isRecord(value)) {
    return Object.entries(value).filter((pair): pair is [string, string] => {
      return typeof pair[1] === 'string';
    });
  }
  return [];
}

function sortedMap(pairs: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of [...pairs].sort((a, b) => compareStrings(a[0], b[0]))) {
    setKey(out, key, value);
  }
  return out;
}
