/** ARM resource id parsing. ARM ids are case-insensitive; we compare them in lower case. */

/** The key under which facts about a resource are stored: its id in lower case, without a trailing slash. */
export function idKey(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

/** The subscription of an id ("/subscriptions/{id}/…"), or null for tenant-level ids ("/providers/…"). */
export function subscriptionOf(id: string): string | null {
  const match = /^\/subscriptions\/([^/]+)/i.exec(id.trim());
  return match?.[1] ?? null;
}

/** The last segment of an id: the resource name. */
export function lastSegment(id: string): string {
  const parts = id.trim().replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] ?? '';
}

/**
 * The id of the parent resource, cut before the first `/{childSegment}/`
 * (case-insensitive): ".../storageAccounts/x/blobServices/default" with
 * "blobServices" gives ".../storageAccounts/x". null when the segment is absent.
 */
export function parentId(id: string, childSegment: string): string | null {
  const index = id.toLowerCase().indexOf(`/${childSegment.toLowerCase()}/`);
  return index > 0 ? id.slice(0, index) : null;
}

const SEGMENT_CASE = new Map(
  ['subscriptions', 'resourceGroups', 'providers'].map((s) => [s.toLowerCase(), s]),
);

/**
 * An ARM id with its fixed segments (`subscriptions`, `resourceGroups`,
 * `providers`) and the namespace and type segments of a known type in ARM's
 * own case; names stay as written. ARM ids are case-insensitive, and an event
 * may spell them otherwise than Resource Graph and ARM GET answer (Microsoft's
 * own ResourceDeleteSuccess examples write `resourcegroups`): a deletion named
 * that way must still find the findings of the resource it deletes.
 */
export function canonicalArmId(id: string, knownTypes: readonly string[]): string {
  const parts = id.trim().replace(/\/+$/, '').split('/');
  const typeSegments = new Map<string, string>();
  for (const type of knownTypes) {
    for (const segment of type.split('/')) typeSegments.set(segment.toLowerCase(), segment);
  }
  // Fixed segments sit at odd indexes (the id starts with '/', so index 0 is empty): a
  // resource group named "providers" is a name, not the segment.
  const providers = parts.findIndex((p, i) => i % 2 === 1 && p.toLowerCase() === 'providers');
  return parts
    .map((part, index) => {
      const lower = part.toLowerCase();
      if (providers < 0 || index <= providers) {
        return index % 2 === 1 ? (SEGMENT_CASE.get(lower) ?? part) : part;
      }
      // After "providers": the namespace, then type/name pairs; only namespace and types change.
      const position = index - providers;
      const isTypeSegment = position === 1 || position % 2 === 0;
      return isTypeSegment ? (typeSegments.get(lower) ?? part) : part;
    })
    .join('/');
}
