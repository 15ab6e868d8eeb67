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
