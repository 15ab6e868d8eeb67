/** The `aws` part of the command line's help: the same text from every entry point. */
export const AWS_USAGE = `aws options (each also from the environment or a config file; flag > env > file):
  --config FILE                 YAML or JSON settings file ($DRIFT_CONFIG)
  --regions R,R                 Regions to sweep ($DRIFT_AWS_REGIONS; default: the SDK's region)
  --home-region R               Security Hub region for global (IAM) findings ($DRIFT_AWS_HOME_REGION)
  --accounts ID,ID              Sweep these accounts, each through --member-role ($DRIFT_AWS_ACCOUNTS)
  --aggregator NAME             Sweep an AWS Config aggregator ($DRIFT_AWS_AGGREGATOR)
  --member-role NAME            Role assumed in other accounts to import their findings
                                ($DRIFT_AWS_MEMBER_ROLE)
  --resource-types T,T          Only these AWS Config types ($DRIFT_AWS_RESOURCE_TYPES)
  --queue-url URL               The worker's SQS queue ($DRIFT_AWS_QUEUE_URL)
  --enqueue                     sweep: send one request per account and region to the queue,
                                for any worker to sweep, instead of sweeping here
                                ($DRIFT_AWS_SWEEP_ENQUEUE)
  --dead-letter-queue-url URL   Poison messages go here with their reason ($DRIFT_AWS_DLQ_URL;
                                default: the queue's RedrivePolicy target)
  --state FILE|URL              SQLite state file, or postgresql:// URL shared by many workers
                                ($DRIFT_STATE_URL, $DRIFT_STATE_PATH; default drift-state.db)
  --dry-run                     Findings as JSON lines on stdout, not Security Hub ($DRIFT_DRY_RUN)
  --concurrency N               Messages judged at once ($DRIFT_CONCURRENCY; default 16)
  --max-attempts N              Deliveries before a failing message is dead-lettered
                                ($DRIFT_MAX_ATTEMPTS; default 5)
  --connect-timeout-ms N        Per attempt of an AWS call, to connect
                                ($DRIFT_AWS_CONNECT_TIMEOUT_MS; default 5000)
  --request-timeout-ms N        Per attempt of an AWS call, for the answer; SQS adds its
                                20 s long poll ($DRIFT_AWS_REQUEST_TIMEOUT_MS; default 30000)
  --waivers FILE                Waiver file ($DRIFT_WAIVERS)
  --metrics-port N              Serve /healthz, /readyz and Prometheus /metrics ($DRIFT_METRICS_PORT)
  --metrics-address A           ...on this address ($DRIFT_METRICS_ADDRESS; default 127.0.0.1)
  --unready-after-seconds N     /readyz 503 once the queue or Security Hub fails this long
                                ($DRIFT_UNREADY_AFTER_SECONDS; default 60)
  --bundle DIR                  Policy bundle folder ($DRIFT_POLICY_BUNDLE)
  Credentials come only from the AWS SDK's default chain; AWS_ENDPOINT_URL and
  AWS_ENDPOINT_URL_<SERVICE> override endpoints.
`;
