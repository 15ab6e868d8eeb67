import { isPartialPublishFailure } from '@drift-detective/pipeline';
import { SecurityHubPublishError } from '../../src/securityhub/errors.js';
import type {
  AwsSecurityFinding,
  AwsSecurityFindingIdentifier,
  BatchImportFindingsResponse,
  BatchUpdateFindingsResponse,
} from '@aws-sdk/client-securityhub';
import type { Observation } from '@drift-detective/findings';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  classifyImportAnswer,
  classifyUpdateAnswer,
  isUnsupportedOperation,
  toAsff,
  workflowTarget,
} from '../../src/securityhub/index.js';
import {
  manyFindings,
  newFinding,
  observationOf,
  reopenedFinding,
  resolvedFinding,
  suppressedFinding,
} from './records.js';

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T08:00:00.000Z';
const T2 = '2026-11-03T08:00:00.000Z';
let sshOpen: Observation;
let sent: AwsSecurityFinding[];

beforeAll(async () => {
  sshOpen = await observationOf('dd-net-001-violating-ssh-open.json');
  sent = manyFindings(sshOpen, 4, T0).map((r) => toAsff(r, { now: T0, homeRegion: 'us-east-1' }));
});

const ids = (items: readonly { Id?: string | undefined }[]) => items.map((f) => f.Id);
const idsOf = (rejected: readonly { item: { Id?: string | undefined } }[]) =>
  rejected.map((r) => r.item.Id);

describe('classifyImportAnswer', () => {
  it('takes what was not listed as failed, retries internal errors, fails invalid input', () => {
    const [a, b, c, d] = sent as [AwsSecurityFinding, ...AwsSecurityFinding[]];
    const answer: BatchImportFindingsResponse = {
      FailedCount: 2,
      SuccessCount: 2,
      FailedFindings: [
        { Id: a.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
        { Id: c!.Id, ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure' },
      ],
    };
    const outcome = classifyImportAnswer(sent, answer);
    expect(ids(outcome.accepted)).toEqual([b!.Id, d!.Id]);
    expect(outcome.failed).toEqual([
      { item: a, errorCode: 'InvalidInput', errorMessage: 'Finding does not adhere to ASFF' },
    ]);
    expect(idsOf(outcome.retry)).toEqual([c!.Id]);
    expect(outcome.retry[0]?.errorCode).toBe('InternalFailure');
  });

  it.each(['LimitExceededException', 'ThrottlingException', 'InternalException'])(
    'retries %s',
    (code) => {
      const outcome = classifyImportAnswer(sent.slice(0, 1), {
        FailedCount: 1,
        SuccessCount: 0,
        FailedFindings: [{ Id: sent[0]!.Id, ErrorCode: code, ErrorMessage: 'later' }],
      });
      expect(idsOf(outcome.retry)).toEqual([sent[0]!.Id]);
    },
  );

  it.each(['AccessDeniedException', 'FindingSizeExceeded', 'InvalidInput'])(
    'fails %s for good',
    (code) => {
      const outcome = classifyImportAnswer(sent.slice(0, 1), {
        FailedCount: 1,
        SuccessCount: 0,
        FailedFindings: [{ Id: sent[0]!.Id, ErrorCode: code, ErrorMessage: 'never' }],
      });
      expect(idsOf(outcome.failed)).toEqual([sent[0]!.Id]);
      expect(outcome.retry).toEqual([]);
    },
  );

  it('sends every unlisted finding again when the failed count is more than the list', () => {
    const outcome = classifyImportAnswer(sent, { FailedCount: 1, SuccessCount: 3 });
    expect(outcome.accepted).toEqual([]);
    expect(idsOf(outcome.retry)).toEqual(ids(sent));
    expect(outcome.retry[0]?.errorCode).toBe('UnlistedFailure');
  });

  it('takes the whole batch when nothing failed', () => {
    const outcome = classifyImportAnswer(sent, { FailedCount: 0, SuccessCount: 4 });
    expect(ids(outcome.accepted)).toEqual(ids(sent));
    expect(outcome.retry).toEqual([]);
    expect(outcome.failed).toEqual([]);
  });
});

describe('classifyUpdateAnswer', () => {
  const identifiers = (): AwsSecurityFindingIdentifier[] =>
    sent.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn }));

  it('retries concurrent updates and internal failures, fails the rest', () => {
    const [a, b, c, d] = identifiers();
    const answer: BatchUpdateFindingsResponse = {
      ProcessedFindings: [b!],
      UnprocessedFindings: [
        { FindingIdentifier: a, ErrorCode: 'ConcurrentUpdateError', ErrorMessage: 'Concurrent' },
        { FindingIdentifier: c, ErrorCode: 'InvalidInput', ErrorMessage: 'Invalid Input' },
        { FindingIdentifier: d, ErrorCode: 'InternalFailure', ErrorMessage: 'Internal' },
      ],
    };
    const outcome = classifyUpdateAnswer(identifiers(), answer);
    expect(outcome.accepted).toEqual([b]);
    expect(outcome.retry.map((r) => r.item)).toEqual([a, d]);
    expect(outcome.failed).toEqual([
      { item: c, errorCode: 'InvalidInput', errorMessage: 'Invalid Input' },
    ]);
  });

  it('matches on Id and ProductArn together', () => {
    const [a] = identifiers();
    const outcome = classifyUpdateAnswer([a!], {
      ProcessedFindings: [],
      UnprocessedFindings: [
        {
          FindingIdentifier: {
            Id: a!.Id,
            ProductArn: 'arn:aws:securityhub:eu-west-1::product/x/y',
          },
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'other product',
        },
      ],
    });
    expect(outcome.accepted).toEqual([a]);
  });
});

describe('workflowTarget', () => {
  it('resolves resolved findings, suppresses suppressed ones, reopens reopened ones', () => {
    const active = newFinding(sshOpen, T0);
    expect(active.pendingTransition).toBe('new');
    expect(workflowTarget(active)).toBeUndefined();
    const resolved = resolvedFinding(active, T1);
    expect(workflowTarget(resolved)).toBe('RESOLVED');
    const reopened = reopenedFinding(resolved, sshOpen, T2);
    expect(reopened).toMatchObject({ status: 'ACTIVE', pendingTransition: 'reopened' });
    expect(workflowTarget(reopened)).toBe('NEW');
    expect(workflowTarget(suppressedFinding(sshOpen, T0))).toBe('SUPPRESSED');
  });

  it('leaves an updated active finding alone', () => {
    const updated = { ...newFinding(sshOpen, T0), pendingTransition: 'updated' as const };
    expect(workflowTarget(updated)).toBeUndefined();
  });
});

describe('isUnsupportedOperation', () => {
  it('recognizes a 404 and UnknownOperationException, nothing else', () => {
    expect(
      isUnsupportedOperation({ name: 'SyntaxError', $metadata: { httpStatusCode: 404 } }),
    ).toBe(true);
    expect(isUnsupportedOperation({ name: 'UnknownOperationException' })).toBe(true);
    expect(
      isUnsupportedOperation({
        name: 'InvalidAccessException',
        $metadata: { httpStatusCode: 401 },
      }),
    ).toBe(false);
    expect(isUnsupportedOperation(new Error('network down'))).toBe(false);
  });
});

describe('SecurityHubPublishError as the pipeline reads it', () => {
  it('tells refusals for good from those that may pass later', () => {
    const failure = (id: string, errorCode: string) => ({
      id,
      account: '123456789012',
      region: 'us-east-1',
      operation: 'BatchImportFindings' as const,
      errorCode,
      errorMessage: 'm',
    });
    const error = new SecurityHubPublishError(
      [
        failure('a', 'InvalidInput'),
        failure('b', 'AccessDeniedException'),
        failure('c', 'FindingTooLargeError'),
        failure('d', 'InternalFailure'),
        failure('e', 'LimitExceededException'),
        failure('f', 'TimeoutError'),
      ],
      6,
    );
    expect(isPartialPublishFailure(error)).toBe(true);
    expect(error.rejected.map((r) => [r.id, r.permanent])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', false],
      ['e', false],
      ['f', false],
    ]);
    expect(error.rejected[0]?.reason).toMatch(
      /^a \(123456789012\/us-east-1, BatchImportFindings\): InvalidInput: m$/,
    );
  });
});
