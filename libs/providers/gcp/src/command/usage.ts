/** The `gcp` part of the command line's help: the same text from every entry point. */
export const GCP_USAGE = `gcp options (each also from the environment or a config file; flag > env > file):
  --config FILE                 YAML or JSON settings file ($DRIFT_CONFIG)
  --organization N              The organization number: the SCC source lives under it, and
                                it is swept when no project or folder is named
                                ($DRIFT_GCP_ORGANIZATION)
  --projects P,P                Projects to sweep, ids or numbers ($DRIFT_GCP_PROJECTS)
  --folders N,N                 Folders to sweep ($DRIFT_GCP_FOLDERS)
  --asset-types T,T             Only these Cloud Asset types ($DRIFT_GCP_ASSET_TYPES)
  --print-requests              sweep: print one sweep request per project, folder or the
                                organization (JSON, one a line) for Cloud Scheduler or gcloud
                                pubsub topics publish, and sweep nothing; serve takes them from
                                its push subscription ($DRIFT_GCP_SWEEP_PRINT_REQUESTS)
  --scc-source NAME             The SCC source's display name, found or created once
                                ($DRIFT_GCP_SCC_SOURCE; default "Drift Detective")
  --endpoint HOST:PORT          Cloud Asset and SCC at another address (a proxy, a local
                                stand-in) ($DRIFT_GCP_ENDPOINT; default Google's)
  --plaintext                   Without TLS or tokens: only for a loopback --endpoint
                                ($DRIFT_GCP_PLAINTEXT)
  --request-timeout-ms N        Per attempt of a Google call ($DRIFT_GCP_REQUEST_TIMEOUT_MS;
                                default 30000)
  --port N                      serve: the push endpoint's port, with /healthz, /readyz and
                                /metrics ($PORT, as Cloud Run sets it; default 8080)
  --address A                   serve: ...on this address ($DRIFT_GCP_ADDRESS; default the
                                metrics address, 127.0.0.1; the container image sets 0.0.0.0)
  --push-audience A             serve: the push subscription's OIDC token audience
                                ($DRIFT_GCP_PUSH_AUDIENCE)
  --push-service-account EMAIL  serve: the service account it signs as
                                ($DRIFT_GCP_PUSH_SERVICE_ACCOUNT)
  --push-jwks URL|FILE          serve: the signing keys ($DRIFT_GCP_PUSH_JWKS; default
                                Google's published keys)
  --dead-letter-file FILE       serve: messages that can never be judged, as JSON lines
                                ($DRIFT_DEAD_LETTER_FILE; default drift-dead-letter.ndjson)
  --state FILE|URL              SQLite state file, or postgresql:// URL shared by many workers
                                ($DRIFT_STATE_URL, $DRIFT_STATE_PATH; default drift-state.db)
  --dry-run                     sweep: findings as JSON lines on stdout, not Security Command
                                Center ($DRIFT_DRY_RUN)
  --concurrency N               Messages judged at once ($DRIFT_CONCURRENCY; default 16)
  --max-attempts N              Deliveries before a failing message is dead-lettered
                                ($DRIFT_MAX_ATTEMPTS; default 5)
  --waivers FILE                Waiver file ($DRIFT_WAIVERS)
  --metrics-port N              sweep: serve /healthz, /readyz and Prometheus /metrics
                                ($DRIFT_METRICS_PORT)
  --metrics-address A           ...on this address ($DRIFT_METRICS_ADDRESS; default 127.0.0.1)
  --unready-after-seconds N     /readyz 503 once Security Command Center fails this long
                                ($DRIFT_UNREADY_AFTER_SECONDS; default 60)
  --bundle DIR                  Policy bundle folder ($DRIFT_POLICY_BUNDLE)
  Credentials come only from Application Default Credentials (the service's identity on
  Cloud Run, workload identity federation, or gcloud's application-default login).
`;
