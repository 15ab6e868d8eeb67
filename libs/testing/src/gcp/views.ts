// The state as the REST API would show it: proto3 JSON (lowerCamelCase names, RFC 3339
// times, Struct and Value fields as plain JSON), the form of
// https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings#Finding
import { Descriptors, messageToJson } from './proto-json.js';
import { gcpProtos } from './protos.js';
import type { GcpStandInState } from './state.js';

export interface GcpViews {
  assets(): unknown[];
  findings(): unknown[];
  sources(): unknown[];
}

export function gcpViews(state: GcpStandInState): GcpViews {
  const d = new Descriptors(gcpProtos());
  return {
    assets: () =>
      state.inventory.all().map((r) => messageToJson(d, 'google.cloud.asset.v1.Asset', r.asset)),
    findings: () =>
      state.scc
        .allFindings()
        .map((f) => messageToJson(d, 'google.cloud.securitycenter.v2.Finding', f)),
    sources: () =>
      state.scc
        .allSources()
        .map((s) => messageToJson(d, 'google.cloud.securitycenter.v2.Source', s)),
  };
}
