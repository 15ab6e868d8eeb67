// The wire types, loaded from the .proto files the official Node clients ship
// (@google-cloud/asset, @google-cloud/security-center, and the google-gax they
// bring for google/api, google/rpc, google/protobuf, google/type, google/iam…),
// so every message the stand-in sends or reads is the type the clients encode.
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

export const ASSET_SERVICE = 'google.cloud.asset.v1.AssetService';
export const SECURITY_CENTER = 'google.cloud.securitycenter.v2.SecurityCenter';

const require = createRequire(import.meta.url);

/**
 * `build/protos` of a package, resolved from `from` (this file, or another package). The
 * package root is found from its main entry: google-gax's `exports` hide its package.json.
 */
function protosOf(pkg: string, from: NodeJS.Require = require): string {
  const main = from.resolve(pkg);
  const marker = `${path.sep}node_modules${path.sep}${pkg.split('/').join(path.sep)}${path.sep}`;
  return path.join(main.slice(0, main.lastIndexOf(marker) + marker.length), 'build', 'protos');
}

/** The three include dirs: each client's own protos, then google-gax's common ones. */
export function protoIncludeDirs(): string[] {
  const asset = protosOf('@google-cloud/asset');
  const scc = protosOf('@google-cloud/security-center');
  // google-gax is the clients' dependency, not ours: find the copy the asset client loads.
  const gax = protosOf('google-gax', createRequire(path.join(asset, '..', '..', 'package.json')));
  return [asset, scc, gax];
}

/**
 * Field names in lowerCamelCase (what the clients hand their callers), 64-bit
 * integers and enums as strings, and only the fields a message carries (no
 * defaults), so an update can tell "absent" from "empty".
 */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: false,
} as const;

let loaded: PackageDefinition | undefined;

/** Both services and every message they reach (loaded once per process, ~0.2 s). */
export function gcpProtos(): PackageDefinition {
  loaded ??= loadSync(
    [
      'google/cloud/asset/v1/asset_service.proto',
      'google/cloud/securitycenter/v2/securitycenter_service.proto',
    ],
    { ...LOADER_OPTIONS, includeDirs: protoIncludeDirs() },
  );
  return loaded;
}
