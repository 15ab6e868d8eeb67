/** The `azure` part of the command line's help: the same text from every entry point. */
export const AZURE_USAGE = `azure options (each also from the environment or a config file; flag > env > file):
  --config FILE                 YAML or JSON settings file ($DRIFT_CONFIG)
  --subscriptions ID,ID         Subscriptions to sweep ($DRIFT_AZURE_SUBSCRIPTIONS)
  --management-group NAME       Sweep every subscription of a management group
                                ($DRIFT_AZURE_MANAGEMENT_GROUP)
  --resource-types T,T          Only these ARM types ($DRIFT_AZURE_RESOURCE_TYPES)
  --resource-manager-endpoint U Azure Resource Manager for a sovereign cloud
                                ($DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT; default
                                https://management.azure.com)
  --resource-manager-audience A Token audience when it is not the endpoint (Azure Stack Hub)
                                ($DRIFT_AZURE_RESOURCE_MANAGER_AUDIENCE)
  --port N                      serve: the webhook's port, with /healthz, /readyz and
                                /metrics ($DRIFT_AZURE_PORT; default 8080)
  --address A                   serve: ...on this address ($DRIFT_AZURE_ADDRESS; default
                                the metrics address, 127.0.0.1)
  --webhook-audience A          serve: Entra ID callers' token audience (the app's ID URI
                                or client id) ($DRIFT_AZURE_WEBHOOK_AUDIENCE)
  --webhook-tenant T            serve: their tenant ($DRIFT_AZURE_WEBHOOK_TENANT)
  --webhook-jwks URL|FILE       serve: their signing keys ($DRIFT_AZURE_WEBHOOK_JWKS; default
                                Microsoft's published keys)
                                A shared secret instead (or as well) comes only from
                                $DRIFT_AZURE_WEBHOOK_SECRET, sent as ?code= on the endpoint URL.
  --dead-letter-file FILE       serve: events that can never be judged, as JSON lines
                                ($DRIFT_DEAD_LETTER_FILE; default drift-dead-letter.ndjson)
  --state FILE|URL              SQLite state file, or postgresql:// URL shared by many workers
                                ($DRIFT_STATE_URL, $DRIFT_STATE_PATH; default drift-state.db)
  --dry-run                     sweep: findings as JSON lines on stdout, not Defender for Cloud
                                ($DRIFT_DRY_RUN)
  --concurrency N               Events judged at once ($DRIFT_CONCURRENCY; default 16)
  --max-attempts N              Deliveries before a failing event is dead-lettered
                                ($DRIFT_MAX_ATTEMPTS; default 5)
  --connect-timeout-ms N        Per attempt of an Azure call, to connect
                                ($DRIFT_AZURE_CONNECT_TIMEOUT_MS; default 5000)
  --request-timeout-ms N        Per attempt of an Azure call, for the answer
                                ($DRIFT_AZURE_REQUEST_TIMEOUT_MS; default 30000)
  --waivers FILE                Waiver file ($DRIFT_WAIVERS)
  --metrics-port N              sweep: serve /healthz, /readyz and Prometheus /metrics
                                ($DRIFT_METRICS_PORT)
  --metrics-address A           ...on this address ($DRIFT_METRICS_ADDRESS; default 127.0.0.1)
  --unready-after-seconds N     /readyz 503 once Defender for Cloud fails this long
                                ($DRIFT_UNREADY_AFTER_SECONDS; default 60)
  --bundle DIR                  Policy bundle folder ($DRIFT_POLICY_BUNDLE)
  Credentials come only from DefaultAzureCredential (a managed identity, workload
  identity, or the Azure CLI's login); NODE_EXTRA_CA_CERTS adds a trusted CA.
`;
