import type { FindingRecord } from '@drift-detective/findings';
import { silentLogger, type PipelineLogger, type Publisher } from '@drift-detective/pipeline';
import type { protos } from '@google-cloud/security-center';
import { callOptions, type GcpClients } from '../grpc/clients.js';
import {
  callGcp,
  describeGcpError,
  GcpCallAborted,
  grpcCodeOf,
  isPermanentGrpc,
  type GcpRetrySettings,
} from '../grpc/retry.js';
import { SccPublishError, type FailedFinding } from './errors.js';
import { mapLimit } from '@drift-detective/pipeline';
import { sccFindingOf, sccState, UPDATE_MASK, wantsMute, type SccState } from './mapping.js';
import { findingName, isFindingId, organizationName } from './names.js';
import { SccSourceRegistry } from './source-registry.js';

type SccFinding = protos.google.cloud.securitycenter.v2.IFinding;

export interface SccPublisherOptions {
  readonly clients: Pick<GcpClients, 'scc' | 'requestTimeoutMs'>;
  /** The organization id ("123456789012", or "organizations/123456789012"): sources live there. */
  readonly organization: string;
  /** The installation's source, found or created by this name (default DEFAULT_SOURCE_DISPLAY_NAME). */
  readonly sourceDisplayName?: string | undefined;
  readonly logger?: PipelineLogger | undefined;
  /** Stops publishing: the call in flight is cut, the findings stay pending. */
  readonly signal?: AbortSignal | undefined;
  /** Findings written at once (default DEFAULT_SCC_CONCURRENCY). */
  readonly concurrency?: number | undefined;
  /** The shared backoff's settings for every call (tests shorten them). */
  readonly retry?: GcpRetrySettings | undefined;
  /** Now, for event times (which SCC refuses in the future). */
  readonly clock?: (() => Date) | undefined;
}

export const DEFAULT_SOURCE_DISPLAY_NAME = 'Drift Detective';
export const SOURCE_DESCRIPTION =
  'Cloud configuration drift: policy violations found by Drift Detective in Cloud Asset Inventory, kept current from asset feeds and sweeps.';

/**
 * Findings written at once. The SCC API allows a project 1000 writes a
 * minute (https://cloud.google.com/security-command-center/quotas), about 16
 * a second, and a finding takes one to three writes: four at a time stays
 * near that at the API's usual latency, and RESOURCE_EXHAUSTED beyond it is
 * backed off (honouring RetryInfo) by callGcp.
 */
export const DEFAULT_SCC_CONCURRENCY = 4;

/** A step's failure, with the step's name. */
class StepFailed extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(describeGcpError(cause));
  }
}

const isAbort = (error: unknown): boolean => error instanceof GcpCallAborted;

/** An enum as the client answers it: its name (the client decodes enums as strings) or its number. */
function enumName(value: unknown, names: readonly string[]): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? names[value] : undefined;
}
const STATES = ['STATE_UNSPECIFIED', 'ACTIVE', 'INACTIVE'];
const MUTES = ['MUTE_UNSPECIFIED', 'MUTED', 'UNMUTED', 'UNDEFINED'];

/**
 * Whether the finding is muted by a static mute (SetMute, ours or a
 * person's). A dynamic mute rule that matches it (muteInfo.dynamicMuteRecords)
 * is the organization's policy and not ours to undo, so only the static
 * state counts; a service that answers no muteInfo is judged by `mute`.
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings#muteinfo
 */
function staticallyMuted(finding: SccFinding): boolean {
  if (finding.muteInfo) return enumName(finding.muteInfo.staticMute?.state, MUTES) === 'MUTED';
  return enumName(finding.mute, MUTES) === 'MUTED';
}

/**
 * Publishes findings to Security Command Center (v2 API) under this
 * installation's source (SccSourceRegistry: found by display name in the
 * organization, or created, once per process).
 *
 * Each finding is upserted as the SCC finding whose id is our finding id, so
 * a re-sent finding updates the one it already has:
 * 1. UpdateFinding with an update mask of the fields we own ("The finding
 *    resource to update or create if it does not already exist",
 *    https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings/patch);
 * 2. SetFindingState when the state it answered is not the one we want:
 *    `state` is OUTPUT_ONLY in v2, so UpdateFinding cannot change it, and a
 *    created finding starts ACTIVE (…/findings/setState). RESOLVED →
 *    INACTIVE (for a deleted resource too: a source never deletes its
 *    findings), and ACTIVE again on reopen, the same finding;
 * 3. SetMute: MUTED while waived (SUPPRESSED: the violation stands, so the
 *    state stays ACTIVE, but it is silenced as a waiver intends), UNMUTED
 *    once the waiver no longer applies and the finding is statically muted
 *    (…/findings/setMute). A finding's static mute thus follows the waivers
 *    file, the reviewed and expiring way to silence a Drift Detective
 *    finding: a mute set by hand in the console lasts until that finding's
 *    next transition is published. Mute rules (dynamic mutes) are left
 *    alone. Finding.mute is never sent in UpdateFinding: "a finding provider
 *    shouldn't set the value of mute".
 * The second and third calls are made only when the answer of the first
 * shows a difference, so an unchanged re-send is one write.
 *
 * Every call goes through callGcp (the SCC v2 methods have no client-side
 * retry). Each finding stands alone: a refusal for good (isPermanentGrpc) is
 * reported as permanent in an SccPublishError (a PartialPublishFailure) and
 * never holds back the others; transient failures past the retries are
 * reported as not permanent. Without a source nothing can be written: every
 * finding of the batch is reported with the source's failure, permanent
 * when that failure is (the identity may not list or create sources).
 */
export class SccPublisher implements Publisher {
  private readonly logger: PipelineLogger;
  private readonly registry: SccSourceRegistry;
  private readonly concurrency: number;
  private readonly clock: () => Date;

  constructor(private readonly options: SccPublisherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.concurrency = options.concurrency ?? DEFAULT_SCC_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`SCC concurrency must be a whole number ≥ 1, got ${this.concurrency}`);
    }
    this.clock = options.clock ?? (() => new Date());
    this.registry = new SccSourceRegistry({
      clients: options.clients,
      organization: organizationName(options.organization),
      displayName: options.sourceDisplayName ?? DEFAULT_SOURCE_DISPLAY_NAME,
      description: SOURCE_DESCRIPTION,
      retry: options.retry,
      signal: options.signal,
    });
  }

  /** The source's name, found or created on first use. */
  source(): Promise<string> {
    return this.registry.source();
  }

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    const findings = this.latestGcp(batch);
    if (findings.length === 0) return;
    let source: string;
    try {
      source = await this.registry.source();
    } catch (error) {
      if (isAbort(error) || this.options.signal?.aborted) throw error;
      const message = describeGcpError(error);
      this.logger.error(
        { findings: findings.length, reason: message },
        'SCC source not found or created: no finding of the batch was written',
      );
      const failures = findings.map((f) =>
        this.failure(f, 'source', error, message, isPermanentGrpc(error), false),
      );
      throw new SccPublishError(failures, findings.length);
    }
    const results = await mapLimit(findings, this.concurrency, (f) => this.publishOne(f, source));
    const failures = results.filter((r): r is FailedFinding => r !== null);
    if (failures.length > 0) throw new SccPublishError(failures, findings.length);
    this.logger.debug(
      { published: findings.length, source },
      'published findings to Security Command Center',
    );
  }

  /** GCP findings only, the last record of an id winning (one finding, one version). */
  private latestGcp(batch: readonly FindingRecord[]): FindingRecord[] {
    const latest = new Map<string, FindingRecord>();
    const skipped: string[] = [];
    for (const record of batch) {
      if (record.provider === 'gcp') latest.set(record.id, record);
      else skipped.push(record.id);
    }
    if (skipped.length > 0) {
      this.logger.warn(
        { findings: skipped },
        'Security Command Center takes GCP findings only: findings of other providers not sent',
      );
    }
    return [...latest.values()];
  }

  private async publishOne(finding: FindingRecord, source: string): Promise<FailedFinding | null> {
    if (!isFindingId(finding.id)) {
      const why = 'the finding id is not 1 to 32 letters and digits, as SCC finding ids must be';
      return this.failure(finding, 'check', undefined, why, true);
    }
    if (finding.resourceId.trim() === '') {
      const why = 'the finding names no resource: SCC findings need a resource name';
      return this.failure(finding, 'check', undefined, why, true);
    }
    try {
      await this.write(finding, source);
      return null;
    } catch (error) {
      const step = error instanceof StepFailed ? error : new StepFailed('write', error);
      if (isAbort(step.cause) || this.options.signal?.aborted) throw step.cause;
      return this.failure(
        finding,
        step.operation,
        step.cause,
        step.message,
        isPermanentGrpc(step.cause),
      );
    }
  }

  private async write(finding: FindingRecord, source: string): Promise<void> {
    const name = findingName(source, finding.id);
    const written = await this.step('UpdateFinding', name, finding, () =>
      this.options.clients.scc.updateFinding(
        {
          finding: sccFindingOf(finding, source, this.clock()),
          updateMask: { paths: [...UPDATE_MASK] },
        },
        callOptions(this.options.clients, this.options.signal),
      ),
    );
    const state: SccState = sccState(finding);
    if (enumName(written.state, STATES) !== state) {
      await this.step('SetFindingState', name, finding, () =>
        this.options.clients.scc.setFindingState(
          { name, state },
          callOptions(this.options.clients, this.options.signal),
        ),
      );
    }
    const mute = wantsMute(finding);
    if (mute !== staticallyMuted(written)) {
      await this.step('SetMute', name, finding, () =>
        this.options.clients.scc.setMute(
          { name, mute: mute ? 'MUTED' : 'UNMUTED' },
          callOptions(this.options.clients, this.options.signal),
        ),
      );
    }
  }

  /** One call with the shared backoff; its failure named after the step. */
  private async step(
    operation: string,
    name: string,
    finding: FindingRecord,
    call: () => Promise<[SccFinding, ...unknown[]]>,
  ): Promise<SccFinding> {
    try {
      const [answer] = await callGcp(`SCC ${operation} ${name} (${finding.ruleId})`, call, {
        ...this.options.retry,
        signal: this.options.signal,
      });
      return answer;
    } catch (error) {
      throw new StepFailed(operation, error);
    }
  }

  /** A finding not taken: logged once, with its id and why. */
  private failure(
    finding: FindingRecord,
    operation: string,
    error: unknown,
    message: string,
    permanent: boolean,
    log = true,
  ): FailedFinding {
    const failed: FailedFinding = {
      id: finding.id,
      resourceName: finding.resourceId,
      operation,
      code: grpcCodeOf(error),
      message,
      permanent,
    };
    if (log) {
      this.logger.warn(
        { findingId: finding.id, operation, permanent, reason: message },
        'Security Command Center did not take a finding',
      );
    }
    return failed;
  }
}
