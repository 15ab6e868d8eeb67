// The environment a `drift-detective gcp sweep` process reads to find Cloud Asset Inventory
// and Security Command Center: one constant, so the adapter and the stand-in agree.
export const GCP_ENV = {
  /** host:port serving both gRPC services (production: unset, the clients' defaults). */
  endpoint: 'DRIFT_GCP_ENDPOINT',
  /** `true`: plaintext gRPC; production accepts it only for a loopback endpoint. */
  plaintext: 'DRIFT_GCP_PLAINTEXT',
  /** The organization number: ListAssets parent `organizations/N`, SCC sources under it. */
  organization: 'DRIFT_GCP_ORGANIZATION',
  /** Comma-separated projects (as the assets' ancestors name them), when the seed has no organization. */
  projects: 'DRIFT_GCP_PROJECTS',
  /** The project the Google client libraries bill and default to. */
  project: 'GOOGLE_CLOUD_PROJECT',
} as const;
