// The least-privilege policy of docs/aws.md against the calls the code makes:
// every AWS API call needs its action granted, and nothing else is granted.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..');

/** The services whose SDK clients production code sends commands through, by IAM prefix. */
const SERVICES: Record<string, string> = {
  '@aws-sdk/client-config-service': 'config',
  '@aws-sdk/client-securityhub': 'securityhub',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-sts': 'sts',
};

/** Actions that need no grant: "No permissions are required to perform this operation"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). */
const NEEDS_NO_GRANT = new Set(['sts:GetCallerIdentity']);

/**
 * SQS batch actions are granted by their single action: "You cannot set permissions
 * explicitly for SendMessageBatch, DeleteMessageBatch, or ChangeMessageVisibilityBatch"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
 */
const GRANTED_AS: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** service:Action for every `new XCommand(` of a client above, in the adapter's production code. */
function calledActions(): Set<string> {
  const files = ['libs/providers/aws/src', 'apps/aws-adapter/src'].flatMap((dir) =>
    sourceFiles(path.join(root, dir)),
  );
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const serviceOf = new Map<string, string>();
    for (const [, names, from] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      const service = SERVICES[from as string];
      if (service === undefined) continue;
      for (const name of (names as string).split(',')) {
        serviceOf.set(name.replace(/^\s*type\s+/, '').trim(), service);
      }
    }
    for (const [, command] of text.matchAll(/new (\w+)Command\(/g)) {
      const service = serviceOf.get(`${command}Command`);
      if (service !== undefined) actions.add(`${service}:${command}`);
    }
  }
  return actions;
}

interface Statement {
  readonly Sid: string;
  readonly Action: string | string[];
  readonly Resource: string;
}

function documentedPolicy(): Statement[] {
  const doc = readFileSync(path.join(root, 'docs', 'aws.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Least-privilege IAM policy'));
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (json === undefined) throw new Error('docs/aws.md has no policy JSON');
  return (JSON.parse(json) as { Statement: Statement[] }).Statement;
}

const actionsOf = (statement: Statement | undefined) => [statement?.Action ?? []].flat().sort();

describe('the least-privilege IAM policy of docs/aws.md', () => {
  const policy = documentedPolicy();
  const granted = new Set(policy.flatMap(actionsOf));

  it('grants every action the code calls, and none it does not', () => {
    const called = calledActions();
    // The scan sees the calls: one of each service at least.
    expect(called).toContain('config:DescribeConfigurationAggregatorSourcesStatus');
    expect(called).toContain('sqs:GetQueueUrl');
    expect(called).toContain('securityhub:BatchImportFindings');
    const needed = [
      ...new Set(
        [...called]
          .filter((action) => !NEEDS_NO_GRANT.has(action))
          .map((action) => GRANTED_AS[action] ?? action),
      ),
    ].sort();
    expect([...granted].sort()).toEqual(needed);
  });

  it('grants each queue exactly what is called on it', () => {
    const bySid = (sid: string) => policy.find((s) => s.Sid === sid);
    // Source queue: the worker's receive, delete, visibility and VisibilityTimeout read,
    // the RedrivePolicy read, and sqsHandler's GetQueueUrl of its event source.
    expect(bySid('ConsumeEvents')?.Resource).toMatch(/:drift-detective-events$/);
    expect(actionsOf(bySid('ConsumeEvents'))).toEqual(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    // Dead-letter queue: the dead letters, its MaximumMessageSize, its URL from the RedrivePolicy.
    expect(bySid('DeadLetter')?.Resource).toMatch(/:drift-detective-events-dlq$/);
    expect(actionsOf(bySid('DeadLetter'))).toEqual(
      ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort(),
    );
  });
});
