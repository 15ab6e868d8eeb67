// The Security Command Center (v2) state: organization sources and their findings, with
// the methods a findings writer uses
// (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources,
//  https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings).
// Findings are kept in proto-loader's object form, as they travel on the wire.
import { nowTimestamp } from './assets.js';
import { pageOf } from './paging.js';
import { findingFilter } from './scc-filter.js';
import {
  checkFindingId,
  findingName,
  parentName,
  parseFinding,
  parseParent,
  parseSource,
  sourceName,
  type FindingName,
} from './scc-names.js';
import { alreadyExists, invalidArgument, notFound, permissionDenied } from './status.js';

type Obj = Record<string, unknown>;

/** What the stand-in knows of the resource hierarchy (from the asset seed). */
export interface Hierarchy {
  organization(): string | undefined;
  /** Ancestors of a full resource name, nearest first (empty when unknown). */
  ancestorsOf(resourceName: string): readonly string[];
  assetTypeOf(resourceName: string): string | undefined;
}

// "Default is 10, minimum is 1, maximum is 1000" for both lists (ListSourcesRequest, ListFindingsRequest).
const SCC_PAGES = { defaultSize: 10, maxSize: 1000 };

/** OUTPUT_ONLY (and IDENTIFIER) fields of v2 Finding: ignored when a client sends them. */
const OUTPUT_ONLY = [
  'name',
  'canonicalName',
  'securityMarks',
  'createTime',
  'muteInfo',
  'muteUpdateTime',
  'externalSystems',
  'contacts',
  'parentDisplayName',
];
/** IMMUTABLE fields: set at creation, an update may not change them (https://google.aip.dev/203#immutable). */
const IMMUTABLE = ['resourceName', 'category'];

const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === '' ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/**
 * What the service refuses in a written finding, as INVALID_ARGUMENT: source_properties keys
 * that "must be between 1 and 255 characters, and must start with a letter and contain
 * alphanumeric characters or underscores only", and an event_time that "must not be set to a
 * value greater than the current timestamp" (Finding.source_properties, Finding.event_time).
 */
function checkFindingFields(input: Obj): void {
  const props = input['sourceProperties'];
  if (typeof props === 'object' && props !== null) {
    for (const key of Object.keys(props))
      if (!/^[A-Za-z][A-Za-z0-9_]{0,254}$/.test(key))
        throw invalidArgument(`source_properties key ${JSON.stringify(key)} is not a valid key`);
  }
  const time = input['eventTime'] as { seconds?: unknown } | undefined;
  if (time !== undefined && Number(time.seconds ?? 0) * 1000 > Date.now())
    throw invalidArgument('event_time must not be later than the current time');
}

export class SecurityCenterState {
  private readonly sources = new Map<string, Obj>();
  private readonly findings = new Map<string, Obj>();
  private nextSource = 1;

  constructor(private readonly hierarchy: Hierarchy) {}

  allSources(): Obj[] {
    return [...this.sources.values()];
  }

  allFindings(): Obj[] {
    return [...this.findings.values()];
  }

  private checkOrganization(container: string): void {
    const org = this.hierarchy.organization();
    if (org === undefined || container !== `organizations/${org}`)
      throw permissionDenied(`The caller does not have permission on ${container}`);
  }

  private source(name: string): Obj {
    const found = this.sources.get(name);
    if (found === undefined) throw notFound(`Requested entity was not found: ${name}`);
    return found;
  }

  createSource(request: { parent?: string; source?: Obj }): Obj {
    const parent = request.parent ?? '';
    if (!/^organizations\/[^/]+$/.test(parent))
      throw invalidArgument(
        `parent must be organizations/[organization_id], not ${JSON.stringify(parent)}`,
      );
    this.checkOrganization(parent);
    const displayName = String(request.source?.['displayName'] ?? '');
    // "The display name must have a length between 1 and 64 characters (inclusive)" and be
    // unique among the parent's sources (Source.display_name).
    if (displayName.length < 1 || displayName.length > 64)
      throw invalidArgument('source display_name must be 1 to 64 characters long');
    if (
      this.allSources().some(
        (s) => s['displayName'] === displayName && String(s['name']).startsWith(`${parent}/`),
      )
    )
      throw alreadyExists(`a source named ${JSON.stringify(displayName)} exists in ${parent}`);
    // Source ids are numbers the service picks.
    const name = `${parent}/sources/${String(7_000_000_000 + this.nextSource++)}`;
    // "only the display_name and description will be used. All other fields will be ignored."
    const source: Obj = {
      name,
      displayName,
      ...(isEmpty(request.source?.['description'])
        ? {}
        : { description: request.source?.['description'] }),
      canonicalName: name,
    };
    this.sources.set(name, source);
    return source;
  }

  getSource(request: { name?: string }): Obj {
    const name = parseSource(request.name ?? '', 'name');
    return this.source(sourceName(name));
  }

  listSources(request: { parent?: string; pageSize?: number; pageToken?: string }): Obj {
    const parent = request.parent ?? '';
    if (!/^(organizations|folders|projects)\/[^/]+$/.test(parent))
      throw invalidArgument(
        `parent must be organizations/, folders/ or projects/[id], not ${JSON.stringify(parent)}`,
      );
    const org = this.hierarchy.organization();
    // Sources belong to the organization; a folder or project under it sees them too.
    const all = this.allSources().filter(
      (s) => org !== undefined && String(s['name']).startsWith(`organizations/${org}/`),
    );
    if (parent.startsWith('organizations/')) this.checkOrganization(parent);
    const page = pageOf(all, request, { parent }, SCC_PAGES);
    return { sources: page.items, nextPageToken: page.nextPageToken };
  }

  /** The closest CRM ancestor of the finding's resource names its canonical form (Finding.canonical_name). */
  private canonicalName(name: FindingName, resourceName: string): string {
    const nearest = this.hierarchy.ancestorsOf(resourceName)[0] ?? name.container;
    return findingName({ ...name, container: nearest });
  }

  private created(name: FindingName, input: Obj): Obj {
    checkFindingFields(input);
    const fields = Object.fromEntries(
      Object.entries(input).filter(([k]) => !OUTPUT_ONLY.includes(k)),
    );
    const full = findingName(name);
    const finding: Obj = {
      ...fields,
      name: full,
      parent: parentName(name),
      canonicalName: this.canonicalName(name, String(input['resourceName'] ?? '')),
      // `state` is OUTPUT_ONLY in v2 (Finding.state): whatever a client sends, a new
      // finding is ACTIVE, and only SetFindingState changes it.
      state: 'ACTIVE',
      mute:
        isEmpty(input['mute']) || input['mute'] === 'MUTE_UNSPECIFIED'
          ? 'UNDEFINED'
          : input['mute'],
      createTime: nowTimestamp(),
    };
    this.findings.set(full, finding);
    return finding;
  }

  createFinding(request: { parent?: string; findingId?: string; finding?: Obj }): Obj {
    const parent = parseParent(request.parent ?? '', 'parent');
    if (parent.source === '-')
      throw invalidArgument('a finding is created under one source, not "-"');
    const findingId = request.findingId ?? '';
    checkFindingId(findingId);
    if (request.finding === undefined) throw invalidArgument('finding is required');
    // "The corresponding source must exist for finding creation to succeed."
    this.source(sourceName(parent));
    const name: FindingName = { ...parent, finding: findingId };
    if (this.findings.has(findingName(name)))
      throw alreadyExists(`Requested entity already exists: ${findingName(name)}`);
    return this.created(name, request.finding);
  }

  /** "The finding resource to update or create if it does not already exist" (UpdateFindingRequest). */
  updateFinding(request: { finding?: Obj; updateMask?: { paths?: string[] } }): Obj {
    const input = request.finding;
    if (input === undefined || isEmpty(input['name']))
      throw invalidArgument('finding.name is required');
    const name = parseFinding(String(input['name']), 'finding.name');
    const existing = this.findings.get(findingName(name));
    if (existing === undefined) {
      checkFindingId(name.finding);
      this.source(sourceName(name));
      return this.created(name, input);
    }
    const paths = (request.updateMask?.paths ?? []).map((p) => {
      const [head, ...rest] = p.split('.');
      return [camel(head ?? ''), ...rest].join('.');
    });
    const mutable = (key: string): boolean =>
      !OUTPUT_ONLY.includes(key) && key !== 'parent' && key !== 'state';
    for (const key of IMMUTABLE) {
      const touched = paths.length === 0 || paths.includes(key);
      if (touched && !isEmpty(input[key]) && input[key] !== existing[key])
        throw invalidArgument(`${key} cannot be changed after the finding is created`);
    }
    checkFindingFields(input);
    const next: Obj = { ...existing };
    if (paths.length === 0) {
      // "an empty mask is treated as updating all mutable fields and replacing source_properties"
      for (const [key, value] of Object.entries(input))
        if (mutable(key) && !IMMUTABLE.includes(key)) next[key] = value;
      next['sourceProperties'] = input['sourceProperties'] ?? {};
    } else {
      for (const path of paths) {
        if (path.startsWith('sourceProperties.')) {
          // "Individual source_properties can be added/updated by using source_properties.<key>"
          const key = path.slice('sourceProperties.'.length);
          const given = (input['sourceProperties'] ?? {}) as Obj;
          const props = { ...((next['sourceProperties'] ?? {}) as Obj) };
          if (key in given) props[key] = given[key];
          else delete props[key];
          next['sourceProperties'] = props;
        } else if (mutable(path)) {
          if (input[path] === undefined) delete next[path];
          else next[path] = input[path];
        } else if (!IMMUTABLE.includes(path)) {
          throw invalidArgument(`update_mask path ${path} names a field that cannot be updated`);
        }
      }
    }
    this.findings.set(findingName(name), next);
    return next;
  }

  private finding(name: string): Obj {
    const parsed = parseFinding(name, 'name');
    const found = this.findings.get(findingName(parsed));
    if (found === undefined)
      throw notFound(`Requested entity was not found: ${findingName(parsed)}`);
    return found;
  }

  setFindingState(request: { name?: string; state?: string }): Obj {
    const finding = this.finding(request.name ?? '');
    if (request.state !== 'ACTIVE' && request.state !== 'INACTIVE')
      throw invalidArgument(
        `state must be ACTIVE or INACTIVE, not ${request.state ?? 'STATE_UNSPECIFIED'}`,
      );
    finding['state'] = request.state;
    return finding;
  }

  setMute(request: { name?: string; mute?: string }): Obj {
    const finding = this.finding(request.name ?? '');
    if (request.mute !== 'MUTED' && request.mute !== 'UNMUTED')
      throw invalidArgument(
        `mute must be MUTED or UNMUTED, not ${request.mute ?? 'MUTE_UNSPECIFIED'}`,
      );
    const now = nowTimestamp();
    finding['mute'] = request.mute;
    finding['muteUpdateTime'] = now;
    finding['muteInfo'] = { staticMute: { state: request.mute, applyTime: now } };
    return finding;
  }

  listFindings(request: {
    parent?: string;
    filter?: string;
    pageSize?: number;
    pageToken?: string;
  }): Obj {
    const parent = parseParent(request.parent ?? '', 'parent');
    if (parent.container.startsWith('organizations/')) this.checkOrganization(parent.container);
    const org = this.hierarchy.organization() ?? '';
    // Sources belong to the organization, whichever container the list is asked under.
    if (parent.source !== '-') this.source(`organizations/${org}/sources/${parent.source}`);
    // An organization sees all its findings; a folder or project those on resources under it.
    const inContainer = parent.container.startsWith('organizations/')
      ? () => parent.container === `organizations/${org}`
      : (f: Obj) =>
          this.hierarchy.ancestorsOf(String(f['resourceName'] ?? '')).includes(parent.container);
    const inParent = (f: Obj): boolean => {
      const name = parseFinding(String(f['name']), 'name');
      return (
        (parent.source === '-' || name.source === parent.source) &&
        name.location === parent.location
      );
    };
    const matches = findingFilter(request.filter ?? '');
    const all = this.allFindings()
      .filter((f) => inParent(f) && inContainer(f) && matches(f))
      .sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
    const page = pageOf(
      all,
      request,
      { parent: request.parent, filter: request.filter ?? '' },
      SCC_PAGES,
    );
    return {
      listFindingsResults: page.items.map((finding) => ({
        finding,
        resource: this.resourceOf(finding),
      })),
      nextPageToken: page.nextPageToken,
      totalSize: all.length,
    };
  }

  /** ListFindingsResult.Resource, from what the asset seed knows of the finding's resource. */
  private resourceOf(finding: Obj): Obj {
    const name = String(finding['resourceName'] ?? '');
    const type = this.hierarchy.assetTypeOf(name);
    return {
      name,
      displayName: name.split('/').pop() ?? '',
      ...(type === undefined ? {} : { type }),
      cloudProvider: 'GOOGLE_CLOUD_PLATFORM',
    };
  }
}
