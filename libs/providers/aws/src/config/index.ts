export {
  configSweepReader,
  defaultSweepTypes,
  MAX_PAGE_SIZE,
  type ConfigSweepOptions,
} from './config-sweep.js';
export {
  sweepScope,
  type AccountScopeOptions,
  type AggregatorScopeOptions,
  type SweepScopeOptions,
} from './sweep-scope.js';
export {
  fetchLatestConfiguration,
  latestItemDocument,
  DEFAULT_HISTORY_PAGES,
  type ConfigHistoryDocument,
  type HistoryFetchOptions,
  type HistoryPage,
} from './history-fetch.js';
export {
  readPageDocument,
  type AccountBlockCache,
  type BatchGetDocument,
} from './page-document.js';
export {
  accountSource,
  aggregatorSource,
  keysToFetch,
  type ConfigSource,
  type ListedPage,
  type PageSource,
} from './sources.js';
export {
  backoffDelayMs,
  batchGetAll,
  MAX_BATCH_KEYS,
  UnprocessedKeysError,
  type BatchAnswer,
  type BatchGet,
  type BatchRetryInfo,
  type BatchRetryOptions,
} from './batch-get.js';
export { recordsType, GLOBAL_IAM_TYPES, GLOBAL_REGION } from './recording-group.js';
export { toPlainJson, type JsonValue } from './plain-json.js';
