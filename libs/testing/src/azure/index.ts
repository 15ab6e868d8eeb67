// The Azure stand-in and its pieces that other tests use on their own.
export { startAzureStandIn } from './stand-in.js';
export type { AzureStandIn, AzureStandInOptions } from './stand-in.js';
export {
  createTestCertificateAuthority,
  issueServerCertificate,
  loadTestCa,
  testCaFromEnv,
  TEST_CA_CERT_ENV,
  TEST_CA_KEY_ENV,
} from './ca.js';
export type { ServerCertificate, TestCa } from './ca.js';
export { azureContracts } from './contracts.js';
export type { AzureContracts, DefinitionOptions, RequestToCheck } from './contracts.js';
export type { ContractOperation, OperationMatch } from './operations.js';
export { azureSpecsDir } from './spec-files.js';
export { azureFaults, faultPlanFromRules, FaultRuleError, noAzureFaults } from './faults.js';
export type { AzureFault, AzureFaultPlan, AzureRequestInfo, FaultRule } from './faults.js';
export type { JournalEntry } from './journal.js';
export type { AssessmentView } from './defender.js';
export type { ChangeActor } from './changes.js';
export type { Identity } from './tokens.js';
export type { QuotaOptions } from './quota.js';
export { KqlError, parseQuery, runQuery } from './kql.js';
export type { KqlQuery } from './kql.js';
export { rowsOfAnswer, SeedError } from './seed.js';
export type { Row } from './seed.js';
export { applyEnv } from './process-env.js';
