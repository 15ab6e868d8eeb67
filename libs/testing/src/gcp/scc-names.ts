// Security Command Center v2 resource names
// (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings):
//   organizations/{org}/sources/{source}
//   organizations/{org}/sources/{source}/locations/{location}/findings/{finding}
// "If no location is specified, the finding is assumed to be in global", so names without
// `locations/…` are read as `locations/global`.
import { invalidArgument } from './status.js';

export interface SourceName {
  readonly container: string;
  readonly source: string;
}

export interface FindingParent extends SourceName {
  readonly location: string;
}

export interface FindingName extends FindingParent {
  readonly finding: string;
}

const CONTAINER = '((?:organizations|folders|projects)/[^/]+)';
const SOURCE_RE = new RegExp(`^${CONTAINER}/sources/([^/]+)$`);
const PARENT_RE = new RegExp(`^${CONTAINER}/sources/([^/]+)(?:/locations/([^/]+))?$`);
const FINDING_RE = new RegExp(
  `^${CONTAINER}/sources/([^/]+)(?:/locations/([^/]+))?/findings/([^/]+)$`,
);

export const sourceName = (n: SourceName): string => `${n.container}/sources/${n.source}`;
export const parentName = (n: FindingParent): string => `${sourceName(n)}/locations/${n.location}`;
export const findingName = (n: FindingName): string => `${parentName(n)}/findings/${n.finding}`;

export function parseSource(name: string, field: string): SourceName {
  const m = SOURCE_RE.exec(name);
  if (m === null)
    throw invalidArgument(
      `${field} must be organizations/[id]/sources/[id], not ${JSON.stringify(name)}`,
    );
  const [, container = '', source = ''] = m;
  return { container, source };
}

export function parseParent(name: string, field: string): FindingParent {
  const m = PARENT_RE.exec(name);
  if (m === null)
    throw invalidArgument(
      `${field} must be organizations/[id]/sources/[id] or …/sources/[id]/locations/[location], not ${JSON.stringify(name)}`,
    );
  const [, container = '', source = '', location = 'global'] = m;
  return { container, source, location };
}

export function parseFinding(name: string, field: string): FindingName {
  const m = FINDING_RE.exec(name);
  if (m === null)
    throw invalidArgument(
      `${field} must be organizations/[id]/sources/[id]/locations/[location]/findings/[id], not ${JSON.stringify(name)}`,
    );
  const [, container = '', source = '', location = 'global', finding = ''] = m;
  return { container, source, location, finding };
}

/** "It must be alphanumeric and less than or equal to 32 characters and greater than 0 characters in length."
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings/create */
export function checkFindingId(id: string): void {
  if (!/^[A-Za-z0-9]{1,32}$/.test(id))
    throw invalidArgument(
      `finding id ${JSON.stringify(id)} must be alphanumeric and 1 to 32 characters long`,
    );
}
