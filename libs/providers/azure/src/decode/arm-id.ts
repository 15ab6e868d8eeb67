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
