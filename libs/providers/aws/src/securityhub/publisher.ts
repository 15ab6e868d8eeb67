import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { FindingRecord } from '@drift-detective/findings';
import { silentLogger, type PipelineLogger, type Publisher } from '@drift-detective/pipeline';
import { abortOptions } from '../sdk/abort.js';
import { asffId, toAsff } from './asff.js';
import { FindingTooLargeError } from './asff-limits.js';
import { hubRegion } from './asff-resource.js';
import { SecurityHubPublishError, type FailedFinding, type HubOperation } from './errors.js';
import type { HubContext, Rejected } from './hub-context.js';
import { importFindings } from './import-findings.js';
import { KeyedRateLimiter, realSleep, type Sleep } from './rate-limiter.js';
import { DEFAULT_BACKOFF, isTransientError, withRetry, type BackoffOptions } from './retry.js';
import { updateWorkflow, workflowTarget, type WorkflowUpdate } from './workflow.js';

export interface SecurityHubPublisherOptions {
  /**
   * The client for a region and the account whose findings it sends, built by
   * the caller (default credential chain; for another account, a role assumed
   * there, since Security Hub takes a finding only from its own account).
   * Called once per account and region; the client is kept.
   */
  readonly clientFor: (region: string, account: string) => SecurityHubClient;
  /** Where findings of global resources (IAM: region null or "global") are sent. */
  readonly homeRegion: string;
  readonly logger?: PipelineLogger;
  /** Wall clock for UpdatedAt. */
  readonly clock?: () => Date;
  /**
   * Requests per second per account and region. Security Hub allows 10 per
   * second (burst 30) for BatchImportFindings and for BatchUpdateFindings
   * (https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html);
   * both share one bucket here, so the sum stays within either limit.
   */
  readonly maxRequestsPerSecond?: number;
  /** Tries per request, and rounds for findings the hub asks to send again. */
  readonly maxAttempts?: number;
  /** Uniform in [0, 1), for the backoff jitter. */
  readonly random?: () => number;
  readonly sleep?: Sleep;
  /**
   * Stops publishing when it aborts: the request in flight is cut and nothing
   * is retried, so the findings stay pending for the next run (a sweep's stop).
   */
  readonly signal?: AbortSignal | undefined;
}

export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_PUBLISH_ATTEMPTS = 5;

interface Group {
  readonly account: string;
  readonly region: string;
  readonly records: FindingRecord[];
}

/**
 * Publishes findings to AWS Security Hub in ASFF: grouped by account and region,
 * imported with BatchImportFindings, then their workflow status set with
 * BatchUpdateFindings (resolved → RESOLVED, suppressed → SUPPRESSED, reopened →
 * NEW). Idempotent by finding id: the ASFF Id is drift-detective/<id>, so a
 * re-sent finding updates the one Security Hub has.
 *
 * Throws SecurityHubPublishError naming every finding that was not imported
 * (or whose workflow could not be set) once the retries are used up. Findings
 * of another account than the clients' are refused by Security Hub (see
 * importFindings) and reported that way.
 *
 * The SDK clients retry on their own too (their maxAttempts); set it to 1 on
 * the clients to leave retrying and its pacing to this publisher.
 */
export class SecurityHubPublisher implements Publisher {
  private readonly logger: PipelineLogger;
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly sleep: Sleep;
  private readonly backoff: BackoffOptions;
  private readonly limiter: KeyedRateLimiter;
  private readonly clients = new Map<string, SecurityHubClient>();
  /** Regions whose endpoint has no BatchUpdateFindings (moto_server): warned once, then skipped. */
  private readonly workflowUnsupported = new Set<string>();

  constructor(private readonly options: SecurityHubPublisherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_PUBLISH_ATTEMPTS);
    this.sleep = options.sleep ?? realSleep;
    this.backoff = { ...DEFAULT_BACKOFF, random: options.random ?? Math.random };
    const rate = options.maxRequestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    this.limiter = new KeyedRateLimiter({ ratePerSecond: rate, sleep: this.sleep });
  }

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    const now = this.clock().toISOString();
    const groups = this.group(batch);
    const results = await Promise.all(groups.map((group) => this.publishGroup(group, now)));
    const failures = results.flat();
    if (failures.length > 0) throw new SecurityHubPublishError(failures, batch.length);
  }

  /** By account and hub region; the last record of an id wins (one finding, one version). */
  private group(batch: readonly FindingRecord[]): Group[] {
    const latest = new Map<string, FindingRecord>();
    const skipped: string[] = [];
    for (const record of batch) {
      if (record.provider === 'aws') latest.set(record.id, record);
      else skipped.push(record.id);
    }
    if (skipped.length > 0) {
      this.logger.warn(
        { findings: skipped },
        'Security Hub takes AWS findings only: findings of other providers not sent',
      );
    }
    const groups = new Map<string, Group>();
    for (const record of latest.values()) {
      const region = hubRegion(record.region, this.options.homeRegion);
      const key = `${record.account}/${region}`;
      let group = groups.get(key);
      if (!group) {
        group = { account: record.account, region, records: [] };
        groups.set(key, group);
      }
      group.records.push(record);
    }
    return [...groups.values()];
  }

  private async publishGroup(group: Group, now: string): Promise<FailedFinding[]> {
    const failures: FailedFinding[] = [];
    const fail = (id: string, operation: HubOperation, errorCode: string, errorMessage: string) =>
      failures.push({
        id,
        account: group.account,
        region: group.region,
        operation,
        errorCode,
        errorMessage,
      });

    const recordByAsffId = new Map<string, FindingRecord>();
    const findings: AwsSecurityFinding[] = [];
    for (const record of group.records) {
      try {
        findings.push(toAsff(record, { now, homeRegion: this.options.homeRegion }));
        recordByAsffId.set(asffId(record.id), record);
      } catch (error) {
        if (!(error instanceof FindingTooLargeError)) throw error;
        fail(record.id, 'BatchImportFindings', error.name, error.message);
      }
    }
    const idOf = (asff: string | undefined) => recordByAsffId.get(asff ?? '')?.id ?? asff ?? '';
    const report = (operation: HubOperation, rejected: Rejected<{ Id?: string | undefined }>[]) => {
      for (const r of rejected) fail(idOf(r.item.Id), operation, r.errorCode, r.errorMessage);
    };

    const hub = this.hub(group);
    const { imported, failed } = await importFindings(hub, findings);
    report('BatchImportFindings', failed);

    const updates: WorkflowUpdate[] = imported.flatMap((finding) => {
      const record = recordByAsffId.get(finding.Id ?? '');
      const status = record && workflowTarget(record);
      return status
        ? [{ identifier: { Id: finding.Id, ProductArn: finding.ProductArn }, status }]
        : [];
    });
    if (updates.length > 0 && !this.workflowUnsupported.has(group.region)) {
      const workflow = await updateWorkflow(hub, updates);
      report('BatchUpdateFindings', workflow.failed);
      if (workflow.unsupported) {
        // Once per endpoint: the import went through, only the workflow status is missing.
        this.workflowUnsupported.add(group.region);
        this.logger.warn(
          { region: group.region, account: group.account },
          'Security Hub endpoint does not support BatchUpdateFindings: workflow status is not set there',
        );
      }
    }
    this.logger.debug(
      {
        account: group.account,
        region: group.region,
        imported: imported.length,
        failed: failures.length,
      },
      'published findings to Security Hub',
    );
    return failures;
  }

  private hub(group: Group): HubContext {
    const key = `${group.account}/${group.region}`;
    const signal = this.options.signal;
    const retry = {
      ...this.backoff,
      maxAttempts: this.maxAttempts,
      sleep: this.sleep,
      isRetryable: (error: unknown) => !signal?.aborted && isTransientError(error),
      onRetry: (error: unknown, attempt: number, delayMs: number) =>
        this.logger.warn(
          { account: group.account, region: group.region, attempt, delayMs, err: error },
          'Security Hub request failed; retrying',
        ),
    };
    return {
      client: this.clientFor(group.region, group.account),
      account: group.account,
      region: group.region,
      call: (send) =>
        withRetry(async () => {
          await this.limiter.take(key);
          return send();
        }, retry),
      maxAttempts: this.maxAttempts,
      backoff: this.backoff,
      sleep: this.sleep,
      sendOptions: abortOptions(signal),
    };
  }

  private clientFor(region: string, account: string): SecurityHubClient {
    const key = `${account}/${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.options.clientFor(region, account);
      this.clients.set(key, client);
    }
    return client;
  }
}
