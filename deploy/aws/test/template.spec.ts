// The template against what the rest of the repository says: the function's role grants
// the statements of docs/aws.md ("Least-privilege IAM policy"), no more, and the function
// runs on the runtime the bundle is built for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, parseTemplate, resourceOf, workspaceRoot, type Json } from './template.js';

const doc = readFileSync(path.join(workspaceRoot, 'docs', 'aws.md'), 'utf8');
const template = loadTemplate();

/** The account and the region the template's ARNs are resolved with, as in the docs. */
const ACCOUNT = '123456789012';
const STACK_REGION = 'eu-west-1';

interface Statement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Condition?: Json;
}

/** A markdown section: from its heading to the next heading of the same level. */
function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/aws.md has no "${heading}"`);
  const end = doc.indexOf('\n## ', start + heading.length + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The policy JSON of docs/aws.md, parsed as libs/providers/aws/test/adapter/iam-policy.spec.ts does. */
function documentedPolicy(): Statement[] {
  const json = /```json\n([\s\S]*?)\n```/.exec(section('## Least-privilege IAM policy'))?.[1];
  if (json === undefined) throw new Error('docs/aws.md has no policy JSON');
  return (JSON.parse(json) as { Statement: Statement[] }).Statement;
}

interface TemplateStatement extends Statement {
  /** The condition it is granted under (an Fn::If around it), or null. */
  readonly condition: string | null;
}

/** The role's inline statements; those under Fn::If with the condition of their branch. */
function templateStatements(): TemplateStatement[] {
  const role = resourceOf(template, 'FunctionRole', 'AWS::IAM::Role');
  const policies = role.Properties['Policies'] as { PolicyDocument: { Statement: Json[] } }[];
  expect(policies).toHaveLength(1);
  return policies[0]!.PolicyDocument.Statement.flatMap((entry): TemplateStatement[] => {
    const conditional = (entry as { 'Fn::If'?: [string, Json, Json] })['Fn::If'];
    if (conditional === undefined) return [{ ...(entry as unknown as Statement), condition: null }];
    const [condition, ...branches] = conditional;
    return branches
      .filter((b) => JSON.stringify(b) !== JSON.stringify({ Ref: 'AWS::NoValue' }))
      .map((b) => ({ ...(b as unknown as Statement), condition }));
  });
}

const actionsOf = (statement: Pick<Statement, 'Action'>) => [statement.Action].flat().sort();

/**
 * A template Resource as an ARN of a stack in STACK_REGION of ACCOUNT: Fn::Sub with the
 * pseudo parameters (and `parameters`), Fn::GetAtt of a queue's Arn from its QueueName.
 */
function resolveArn(value: Json, parameters: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, Json>;
  if (typeof object['Fn::Sub'] === 'string') {
    const names: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': STACK_REGION,
      ...parameters,
    };
    return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const resolved = names[name];
      if (resolved === undefined) throw new Error(`unresolved \${${name}} in ${object['Fn::Sub']}`);
      return resolved;
    });
  }
  const getAtt = object['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt?.[1] === 'Arn') {
    const queue = resourceOf(template, getAtt[0], 'AWS::SQS::Queue');
    return `arn:aws:sqs:${STACK_REGION}:${ACCOUNT}:${String(queue.Properties['QueueName'])}`;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** Whether an IAM resource pattern (`*` any characters) covers an ARN. */
function covers(pattern: string, arn: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(arn);
}

describe('the role of deploy/aws/template.yaml', () => {
  const documented = documentedPolicy();
  const granted = templateStatements();
  const bySid = new Map(granted.map((s) => [s.Sid, s]));

  it('grants every statement of docs/aws.md, unconditionally, with the same actions', () => {
    expect(documented.map((s) => s.Sid)).toEqual([
      'ReadConfig',
      'ReadAggregator',
      'ImportFindings',
      'FindingWorkflow',
      'ConsumeEvents',
      'DeadLetter',
    ]);
    for (const statement of documented) {
      const mine = bySid.get(statement.Sid);
      expect(mine, statement.Sid).toBeDefined();
      expect({ sid: mine!.Sid, effect: mine!.Effect, condition: mine!.condition }).toEqual({
        sid: statement.Sid,
        effect: statement.Effect,
        condition: null,
      });
      expect(actionsOf(mine!), statement.Sid).toEqual(actionsOf(statement));
    }
  });

  it('scopes each statement as the docs do: the stack queues, the own account', () => {
    for (const statement of documented) {
      const arn = resolveArn(bySid.get(statement.Sid)!.Resource);
      // The docs' account stands for the stack's own; the docs' region * covers the stack's.
      expect(covers(statement.Resource as string, arn), `${statement.Sid}: ${arn}`).toBe(true);
      // And no wider: the template's pattern (the same with the account) is the docs' pattern.
      if (arn.includes('*')) expect(arn, statement.Sid).toBe(statement.Resource);
    }
  });

  it('adds only the statements the docs describe in prose, each under its condition', () => {
    const extras = granted.filter((s) => !documented.some((d) => d.Sid === s.Sid));
    expect(extras.map((s) => [s.Sid, s.condition])).toEqual([
      ['SweepRequests', 'HasStateSecret'],
      ['AssumeMemberRole', 'HasMemberRole'],
      ['StateSecret', 'HasStateSecret'],
    ]);
    // "With `memberRole`, the adapter's role also needs {…sts:AssumeRole…}".
    const prose = section('## Least-privilege IAM policy');
    const assume = /`(\{"Effect": "Allow", "Action": "sts:AssumeRole"[^`]*\})`/.exec(prose)?.[1];
    expect(assume).toBeDefined();
    const described = JSON.parse(assume!) as Statement;
    const member = bySid.get('AssumeMemberRole')!;
    expect(member.Effect).toBe(described.Effect);
    expect(actionsOf(member)).toEqual(actionsOf(described));
    expect(resolveArn(member.Resource, { MemberRoleName: 'drift-detective-member' })).toBe(
      described.Resource,
    );
    // The state's secret: read that one secret, nothing else, as the deploy section says.
    const secret = bySid.get('StateSecret')!;
    expect(secret.Effect).toBe('Allow');
    expect(actionsOf(secret)).toEqual(['secretsmanager:GetSecretValue']);
    expect(secret.Resource).toEqual({ Ref: 'StateUrlSecretArn' });
    expect(secret.Condition).toBeUndefined();
    expect(section('## Deploy with CloudFormation')).toContain('`secretsmanager:GetSecretValue`');
    // The schedule's sweep requests: send to the events queue, nothing else, as the deploy section says.
    const requests = bySid.get('SweepRequests')!;
    expect(actionsOf(requests)).toEqual(['sqs:SendMessage']);
    expect(requests.Resource).toEqual({ 'Fn::GetAtt': ['EventsQueue', 'Arn'] });
    expect(section('## Deploy with CloudFormation')).toContain(
      '`SweepRequests` with it (`sqs:SendMessage` on the events queue',
    );
    expect(prose).toContain('`secretsmanager:GetSecretValue`');
  });

  it('lets only Lambda assume it, with the basic execution role for logs (VPC access in a VPC)', () => {
    const role = resourceOf(template, 'FunctionRole', 'AWS::IAM::Role').Properties;
    expect(role['AssumeRolePolicyDocument']).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    expect(role['ManagedPolicyArns']).toEqual([
      {
        'Fn::If': [
          'InVpc',
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
          },
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          },
        ],
      },
    ]);
  });
});

describe('the function of deploy/aws/template.yaml', () => {
  const fn = resourceOf(template, 'Function', 'AWS::Lambda::Function').Properties;

  it('runs on the runtime the bundle is built for', () => {
    // scripts/bundle.ts builds when imported: its constant is read, not imported.
    const bundleScript = readFileSync(
      path.join(workspaceRoot, 'apps', 'aws-adapter', 'scripts', 'bundle.ts'),
      'utf8',
    );
    const runtime = /export const LAMBDA_RUNTIME = '([^']+)';/.exec(bundleScript)?.[1];
    expect(runtime).toBe('nodejs22.x');
    expect(fn['Runtime']).toBe(runtime);
    expect(section('## Lambda')).toContain(`**${runtime}**`);
  });

  it('is the one handler of the docs: one invocation at a time with the /tmp state, unreserved with PostgreSQL', () => {
    expect(fn['Handler']).toBe('index.handler');
    expect(section('## Lambda')).toContain('`index.handler`');
    expect(fn['ReservedConcurrentExecutions']).toEqual({
      'Fn::If': ['HasStateSecret', { Ref: 'AWS::NoValue' }, 1],
    });
  });

  it('names the state secret by its ARN, never by its value, and keeps /tmp for the SQLite state only', () => {
    const variables = (fn['Environment'] as { Variables: Record<string, Json> }).Variables;
    expect(variables['DRIFT_STATE_URL_SECRET_ARN']).toEqual({
      'Fn::If': ['HasStateSecret', { Ref: 'StateUrlSecretArn' }, { Ref: 'AWS::NoValue' }],
    });
    expect(variables['DRIFT_STATE_PATH']).toEqual({
      'Fn::If': ['HasStateSecret', { Ref: 'AWS::NoValue' }, '/tmp/drift-state.db'],
    });
    expect(variables['DRIFT_STATE_POOL_SIZE']).toEqual({
      'Fn::If': ['HasStatePoolSize', { Ref: 'StatePoolSize' }, { Ref: 'AWS::NoValue' }],
    });
    // No connection string in the configuration: neither a variable nor a dynamic reference.
    expect(variables['DRIFT_STATE_URL']).toBeUndefined();
    // With the shared state the schedule enqueues sweep requests on the events queue.
    expect(variables['DRIFT_AWS_SWEEP_ENQUEUE']).toEqual({
      'Fn::If': ['HasStateSecret', 'true', { Ref: 'AWS::NoValue' }],
    });
    expect(variables['DRIFT_AWS_QUEUE_URL']).toEqual({
      'Fn::If': ['HasStateSecret', { Ref: 'EventsQueue' }, { Ref: 'AWS::NoValue' }],
    });
    // (The template's comments say why; its values hold none.)
    expect(JSON.stringify(template)).not.toMatch(/\{\{resolve:/);
    // The EFS state is gone: PostgreSQL replaces it.
    expect(fn['FileSystemConfigs']).toBeUndefined();
    expect(fn['VpcConfig']).toEqual({
      'Fn::If': [
        'InVpc',
        {
          SubnetIds: { 'Fn::Split': [',', { Ref: 'VpcSubnetIds' }] },
          SecurityGroupIds: { 'Fn::Split': [',', { Ref: 'VpcSecurityGroupIds' }] },
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });

  it('caps the events queue at MaxConcurrency environments when asked, with a shared state only', () => {
    const mapping = resourceOf(template, 'EventsSource', 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties['ScalingConfig']).toEqual({
      'Fn::If': [
        'HasMaxConcurrency',
        { MaximumConcurrency: { Ref: 'MaxConcurrency' } },
        { Ref: 'AWS::NoValue' },
      ],
    });
    // MaximumConcurrency takes 2 to 1000 (the ScalingConfig reference): so does the parameter.
    const pattern = new RegExp(String(template.Parameters['MaxConcurrency']?.AllowedPattern));
    for (const ok of ['', '2', '10', '99', '100', '999', '1000'])
      expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['0', '1', '01', '1001', '2000', '-5', '1.5']) {
      expect(pattern.test(bad), bad).toBe(false);
    }
    const rules = template['Rules'] as Record<string, { Assertions: { Assert: Json }[] }>;
    expect(rules['SharedStateSettingsNeedSharedState']?.Assertions.map((a) => a.Assert)).toEqual([
      { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'StateUrlSecretArn' }, ''] }] },
    ]);
  });

  it('takes a Secrets Manager secret ARN, or nothing, as StateUrlSecretArn', () => {
    const pattern = new RegExp(String(template.Parameters['StateUrlSecretArn']?.AllowedPattern));
    for (const ok of [
      '',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:drift/state-url-AbCdEf',
      // The name RDS gives the secret it manages for a master user.
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-6789-abcd-ef0123456789-XyZ012',
      'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:drift_state-AbCdEf',
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:drift-AbCdEf',
    ]) {
      expect(pattern.test(ok), ok).toBe(true);
    }
    for (const bad of [
      'postgresql://drift:hunter2@db.example/drift',
      'drift/state-url',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/drift/state-url',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:',
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it('documents every parameter of the template', () => {
    const table = section('## Deploy with CloudFormation')
      .split('\n')
      .flatMap((line) => /^\| `(\w+)`/.exec(line)?.[1] ?? []);
    expect(table).toEqual(Object.keys(template.Parameters));
  });
});

describe('the template parser', () => {
  it('reads every short-form intrinsic as its long form', () => {
    expect(
      parseTemplate(
        [
          'A: !Ref X',
          'B: !GetAtt Queue.Arn',
          'C: !Sub arn:${AWS::Partition}:x',
          'D: !If [Cond, !Ref Y, !Ref AWS::NoValue]',
          'E: !Split [",", !Ref Z]',
          'F: !Sub',
          '  - ${a}-${b}',
          '  - { a: 1, b: !Ref W }',
        ].join('\n'),
      ),
    ).toEqual({
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      C: { 'Fn::Sub': 'arn:${AWS::Partition}:x' },
      D: { 'Fn::If': ['Cond', { Ref: 'Y' }, { Ref: 'AWS::NoValue' }] },
      E: { 'Fn::Split': [',', { Ref: 'Z' }] },
      F: { 'Fn::Sub': ['${a}-${b}', { a: 1, b: { Ref: 'W' } }] },
    });
  });

  it('refuses a tag it does not know rather than reading it as a string', () => {
    expect(() => parseTemplate('A: !NotAnIntrinsic x')).toThrow(/NotAnIntrinsic/);
  });
});
