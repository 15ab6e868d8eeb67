import type { SecurityCenter } from '@azure/arm-security';
import type { FindingRecord } from '@drift-detective/findings';
import { silentLogger, type PipelineLogger, type Publisher } from '@drift-detective/pipeline';
import { callAzure, isAbort, statusOf } from '../arm/call-errors.js';
import type { AzureClients } from '../arm/clients.js';
import { mapLimit } from '@drift-detective/pipeline';
import { subscriptionOf } from '../decode/arm-id.js';
import { assessmentName } from './assessment-name.js';
import { DefenderPublishError, isPermanent, type FailedAssessment } from './errors.js';
import { assessmentOf } from './mapping.js';
import { MetadataRegistry } from './metadata-registry.js';

export interface DefenderPublisherOptions {
  readonly clients: Pick<AzureClients, 'security'>;
  readonly logger?: PipelineLogger | undefined;
  /**
   * Assessments written at once. ARM allows a principal about 10 writes a
   * second per subscription, with a burst of 200
   * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling);
   * throttled writes are retried by the pipeline's retry policy.
   */
  readonly concurrency?: number | undefined;
  /** Stops publishing: the call in flight is cut, the findings stay pending. */
  readonly signal?: AbortSignal | undefined;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * The assessments API takes the resource id without its leading slash: its
 * URL template is "/{resourceId}/providers/Microsoft.Security/…" with the id
 * inserted unencoded, so "/subscriptions/…" would make a path starting "//".
 * The SDK's own samples pass "subscriptions/…"
 * (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/security/arm-security/samples-dev/assessmentsCreateOrUpdateSample.ts).
 */
export function assessmentScope(resourceId: string): string {
  return resourceId.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * Publishes findings to Microsoft Defender for Cloud as custom assessments:
 * the rule's assessment metadata in the finding's subscription (created
 * once), then the finding's assessment on its resource, named after the rule
 * (UUID v5), so a re-sent finding updates the assessment it already has.
 * Unhealthy while active, Healthy once compliant, NotApplicable while
 * waived; a reopened finding is Unhealthy again.
 *
 * A finding resolved because its resource was deleted has its assessment
 * deleted instead of marked Healthy: Healthy would say the resource was
 * assessed and passed, while the resource is gone. An assessment is an
 * extension resource of the resource it judges
 * ({resourceId}/providers/Microsoft.Security/assessments/{name}); the
 * delete is idempotent (200 deleted, 204 "Assessment does not exist":
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments/delete),
 * and a 404 (the resource's scope is gone with it) counts as done.
 *
 * Each finding stands alone: a refusal for good (400/403/404) is reported
 * as permanent in a DefenderPublishError (a PartialPublishFailure) and
 * never holds back the others; throttling and server errors were retried
 * with the shared backoff by the clients' pipeline and are reported as
 * transient.
 */
export class DefenderPublisher implements Publisher {
  private readonly logger: PipelineLogger;
  private readonly metadata: MetadataRegistry;
  private readonly concurrency: number;

  constructor(private readonly options: DefenderPublisherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.metadata = new MetadataRegistry(options.clients);
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    const findings = this.latestAzure(batch);
    const results = await mapLimit(findings, this.concurrency, (finding) =>
      this.publishOne(finding),
    );
    const failures = results.filter((r): r is FailedAssessment => r !== null);
    if (failures.length > 0) throw new DefenderPublishError(failures, batch.length);
    this.logger.debug({ published: findings.length }, 'published findings to Defender for Cloud');
  }

  /** Azure findings only, the last record of an id winning (one finding, one version). */
  private latestAzure(batch: readonly FindingRecord[]): FindingRecord[] {
    const latest = new Map<string, FindingRecord>();
    const skipped: string[] = [];
    for (const record of batch) {
      if (record.provider === 'azure') latest.set(record.id, record);
      else skipped.push(record.id);
    }
    if (skipped.length > 0) {
      this.logger.warn(
        { findings: skipped },
        'Defender for Cloud takes Azure findings only: findings of other providers not sent',
      );
    }
    return [...latest.values()];
  }

  private async publishOne(finding: FindingRecord): Promise<FailedAssessment | null> {
    const subscription = finding.account || subscriptionOf(finding.resourceId) || '';
    const scope = assessmentScope(finding.resourceId);
    const name = assessmentName(finding.ruleId);
    let operation = 'PUT assessment';
    const signal = this.options.signal;
    const options = signal ? { abortSignal: signal } : {};
    try {
      if (!/^subscriptions\//i.test(scope)) {
        return this.failure(
          finding,
          subscription,
          operation,
          undefined,
          'the resource is in no subscription: Defender for Cloud keeps assessments per subscription',
          true,
        );
      }
      const client = this.options.clients.security(subscription);
      if (finding.status === 'RESOLVED' && finding.resolution === 'deleted') {
        operation = 'DELETE assessment';
        await deleteAssessment(client, scope, name, finding, options);
        return null;
      }
      operation = 'PUT assessment metadata';
      await this.metadata.ensure(subscription, finding, signal);
      operation = 'PUT assessment';
      await callAzure(
        `Defender for Cloud PUT assessment ${name} (${finding.ruleId}) on ${finding.resourceId}`,
        () => client.assessments.createOrUpdate(scope, name, assessmentOf(finding), options),
      );
      return null;
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return this.failure(
        finding,
        subscription,
        operation,
        statusOf(error),
        message,
        isPermanent(error),
      );
    }
  }

  private failure(
    finding: FindingRecord,
    subscription: string,
    operation: string,
    statusCode: number | undefined,
    message: string,
    permanent: boolean,
  ): FailedAssessment {
    return {
      id: finding.id,
      subscription,
      resourceId: finding.resourceId,
      operation,
      statusCode,
      message,
      permanent,
    };
  }
}

/** Deletes a finding's assessment; a 404 (the scope is gone with its resource) is done too. */
async function deleteAssessment(
  client: SecurityCenter,
  scope: string,
  name: string,
  finding: FindingRecord,
  options: { abortSignal?: AbortSignal },
): Promise<void> {
  try {
    await callAzure(
      `Defender for Cloud DELETE assessment ${name} (${finding.ruleId}) on ${finding.resourceId}`,
      () => client.assessments.delete(scope, name, options),
    );
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
