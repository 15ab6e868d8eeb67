/**
 * The node of the resource hierarchy one sweep lists assets under: listAssets' `parent`,
 * "organizations/[organization-number]", "folders/[folder-number]" or
 * "projects/[project-id]" / "projects/[project-number]".
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest
 */
export interface SweepParent {
  readonly kind: 'organization' | 'folder' | 'project';
  /** The number, or for a project its id or number as given. */
  readonly id: string;
  /** "organizations/123": what listAssets takes as parent. */
  readonly name: string;
}

/** Project ids: 6 to 30 lowercase letters, digits or hyphens, from a letter, not ending in a hyphen (https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin). */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const NUMBER = /^[1-9]\d{0,29}$/;

/** Reads a sweep parent; throws TypeError naming the value when it is none. */
export function parseSweepParent(parent: string): SweepParent {
  const [collection, id, ...rest] = parent.trim().split('/');
  const valid =
    rest.length === 0 &&
    id !== undefined &&
    (collection === 'organizations' || collection === 'folders'
      ? NUMBER.test(id)
      : collection === 'projects' && (NUMBER.test(id) || PROJECT_ID.test(id)));
  if (!valid) {
    throw new TypeError(
      `a sweep parent is organizations/NUMBER, folders/NUMBER or projects/ID-OR-NUMBER, got ${JSON.stringify(parent)}`,
    );
  }
  const kind =
    collection === 'organizations'
      ? 'organization'
      : collection === 'folders'
        ? 'folder'
        : 'project';
  return { kind, id, name: `${collection}/${id}` };
}
