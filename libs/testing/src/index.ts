export { assertValidResource, resourceSchemaErrors } from './resource-schema.js';
export { builtPolicyDir, builtPolicyEngine } from './built-policies.js';
export { defaultMotoServer, startMotoServer } from './moto-server.js';
export type { MotoServer } from './moto-server.js';
export {
  combinePlans,
  failFirst,
  faults,
  faultsFrom,
  noFaults,
  sequence,
  startFaultProxy,
} from './fault-proxy.js';
export type {
  Fault,
  FaultFrom,
  FaultPlan,
  FaultProxy,
  InjectedFault,
  PlanFilter,
  Protocol,
  ProxiedRequest,
  RequestInfo,
} from './fault-proxy.js';
export { CURRENT_LTS_NODE_VERSION, lambdaNodeBinary, otherNodeLineBinary } from './node-lines.js';
export { epochSecondsOf, motoWireFix } from './moto-wire.js';
export {
  applyEnv,
  azureContracts,
  azureFaults,
  azureSpecsDir,
  createTestCertificateAuthority,
  faultPlanFromRules,
  FaultRuleError,
  issueServerCertificate,
  KqlError,
  loadTestCa,
  noAzureFaults,
  parseQuery,
  rowsOfAnswer,
  runQuery,
  SeedError,
  startAzureStandIn,
  TEST_CA_CERT_ENV,
  TEST_CA_KEY_ENV,
  testCaFromEnv,
} from './azure/index.js';
export type {
  AssessmentView,
  AzureContracts,
  AzureFault,
  AzureFaultPlan,
  AzureRequestInfo,
  AzureStandIn,
  AzureStandInOptions,
  ChangeActor,
  ContractOperation,
  DefinitionOptions,
  FaultRule,
  Identity,
  JournalEntry,
  KqlQuery,
  OperationMatch,
  QuotaOptions,
  RequestToCheck,
  Row,
  ServerCertificate,
  TestCa,
} from './azure/index.js';
export {
  adapterProcessEnv,
  freePort,
  runNodeScript,
  startNodeScript,
  waitFor,
} from './process-waits.js';
export type { ProcessResult, RunningProcess } from './process-waits.js';
export {
  GCP_ENV,
  gcpFaultPlanFromRules,
  GcpFaultRuleError,
  gcpFaults,
  GcpSeedError,
  noGcpFaults,
  permissionOf,
  plaintextClientOptions,
  protoIncludeDirs,
  recordsOfExport,
  requestNames,
  startGcpStandIn,
} from './gcp/index.js';
export type {
  AssetRecord,
  ContentType,
  GcpCallInfo,
  GcpFault,
  GcpFaultPlan,
  GcpFaultRule,
  GcpJournalEntry,
  GcpStandIn,
  GcpStandInOptions,
  PlaintextClientOptions,
} from './gcp/index.js';
export { countingCounter } from './counting-counter.js';
export {
  findPostgresBinaries,
  newestPostgresVersion,
  startPostgres,
  withPostgresClient,
} from './postgres-server.js';
export type { PostgresServer } from './postgres-server.js';
export { withEnv } from './with-env.js';
export { CLOUDS, replicaOf, resourceIdOf, writeEstate } from './estate.js';
export type { Cloud, Estate, Mix } from './estate.js';
export {
  admitsInternet,
  allPortsOpenToInternet,
  coversInternet,
  denyShadows,
  firewallRule,
  opensAllPorts,
  policiesShadow,
} from './firewall-verdicts.js';
export { catalogFixtureName } from './fixture-names.js';
