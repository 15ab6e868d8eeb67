export {
  pubsubPushAuthenticator,
  GOOGLE_ISSUERS,
  GOOGLE_JWKS_URL,
  type PubSubPushAuthOptions,
  type PushAuthenticator,
} from './auth.js';
export {
  pubsubPushRoute,
  DEFAULT_PUBSUB_PUSH_PATH,
  PUBSUB_PUSH_MAX_BODY_BYTES,
  type Deliver,
  type PubSubPushRouteOptions,
} from './handler.js';
export { readPushDelivery, type PushDelivery, type UnreadableReason } from './push-message.js';
export {
  pubsubPushMetrics,
  PUBSUB_METRIC_NAMES,
  silentPubSubMetrics,
  type PubSubPushMetrics,
} from './metrics.js';
export {
  assetFeedEnricher,
  DEFAULT_ENRICH_TIMEOUT_MS,
  FeedEnrichmentError,
  type AssetFeedEnricherOptions,
} from './enricher.js';
export {
  cloudAssetHistoryReader,
  MAX_HISTORY_NAMES,
  type AssetHistoryReader,
  type AssetHistoryRequest,
  type CloudAssetHistoryOptions,
  type HistoryContentType,
} from './history.js';
export {
  cloudAssetFirewallReader,
  type NetworkFirewallReader,
  type NetworkFirewallRequest,
} from './network-firewalls.js';
export { feedChange, MAX_CHANGED_FIELDS, MAX_CHANGED_VALUE_CHARS } from './change.js';
