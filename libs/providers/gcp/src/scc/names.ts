/**
 * Security Command Center v2 resource names
 * (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources
 * and …/v2/organizations.sources.locations.findings). A source lives under the
 * organization without a location (`organizations/{org}/sources/{source}`, what
 * CreateSource answers); its findings carry one, and this adapter writes them
 * all to `global` ("If no location is specified, finding is assumed to be in
 * global", SetFindingStateRequest.name), spelled out so the names we write are
 * the names SCC answers with.
 */

/** The location every finding is written to. */
export const FINDING_LOCATION = 'global';

/** Thrown for a setting that names no organization: the message names the value. */
export class SccSettingsError extends Error {
  override readonly name = 'SccSettingsError';
}

/**
 * `organizations/{id}` from an organization id ("123456789012") or that name
 * itself. Organization ids are decimal numbers
 * (https://cloud.google.com/resource-manager/docs/creating-managing-organization#retrieving_your_organization_id).
 */
export function organizationName(organization: string): string {
  const id = organization.trim().replace(/^organizations\//, '');
  if (!/^\d{1,32}$/.test(id)) {
    throw new SccSettingsError(
      `the SCC organization must be a numeric organization id, got ${JSON.stringify(organization)}`,
    );
  }
  return `organizations/${id}`;
}

/**
 * Whether an id can be a finding id: "alphanumeric and less than or equal to
 * 32 characters and greater than 0 characters in length"
 * (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings/create).
 * Our finding ids (32 hex digits) always are; anything else is refused
 * before a call.
 */
export function isFindingId(id: string): boolean {
  return /^[A-Za-z0-9]{1,32}$/.test(id);
}

/** `organizations/{org}/sources/{source}/locations/global/findings/{id}`. */
export function findingName(source: string, findingId: string): string {
  return `${source}/locations/${FINDING_LOCATION}/findings/${findingId}`;
}
