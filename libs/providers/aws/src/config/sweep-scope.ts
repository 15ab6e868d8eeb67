import {
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationRecordersCommand,
  type ConfigServiceClient,
  type DescribeConfigurationAggregatorSourcesStatusResponse,
} from '@aws-sdk/client-config-service';
import type { CoveredScope } from '@drift-detective/findings';
import type { PipelineLogger } from '@drift-detective/pipeline';
import { SUPPORTED_TYPES } from '../normalize/registry.js';
import { abortOptions, type SendOptions } from '../sdk/abort.js';
import { answerList, answerToken } from '../sdk/answers.js';
import { defaultSweepTypes } from './config-sweep.js';
import {
  canRecordGlobalIam,
  GLOBAL_IAM_TYPES,
  GLOBAL_REGION,
  recordsType,
} from './recording-group.js';

interface CommonScopeOptions {
  /** The client the sweep uses. */
  readonly client: ConfigServiceClient;
  /** The sweep's resource types (default: every supported type, as configSweepReader). */
  readonly resourceTypes?: readonly string[] | undefined;
  /** Told when the scope is narrowed because AWS Config would not say what it covers. */
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
  /** A stop: aborting cuts the AWS Config call in flight. */
  readonly signal?: AbortSignal | undefined;
}

export interface AccountScopeOptions extends CommonScopeOptions {
  /** The account the client's credentials are in (STS GetCallerIdentity, which this library does not call). */
  readonly account: string;
  /**
   * The one region that answers for the global IAM types (the adapter's home
   * region): only the sweep of that region covers them. Default: the
   * client's region.
   */
  readonly homeRegion?: string | undefined;
}

export interface AggregatorScopeOptions extends CommonScopeOptions {
  readonly aggregator: { readonly name: string };
}

export type SweepScopeOptions = AccountScopeOptions | AggregatorScopeOptions;

/**
 * What a configSweepReader sweep with the same options covers, for resolving
 * deletions: only findings inside it may resolve because the sweep did not
 * see their resource. It never claims more than the sweep can see — a
 * finding outside it is merely left open — since a scope too wide resolves
 * findings of resources that still exist.
 *
 * Without an aggregator: the account given, the client's region, and the
 * kinds of the swept types that the region's configuration recorder records
 * (DescribeConfigurationRecorders): a type it does not record is never
 * listed, so sweeping it proves nothing. The global IAM types (and "global",
 * the awsRegion of their items) only in the home region, and only when its
 * recorder records them and the region can: one region answers for them.
 *
 * With an aggregator: the accounts and regions whose last aggregation
 * succeeded (DescribeConfigurationAggregatorSourcesStatus, see
 * succeededSources), and the kinds of the swept types. When that status
 * cannot be read the scope covers no account: the sweep still judges what it
 * reads, but resolves nothing as deleted.
 */
export async function sweepScope(options: SweepScopeOptions): Promise<CoveredScope> {
  const types = options.resourceTypes ?? defaultSweepTypes();
  const send = abortOptions(options.signal);
  return 'aggregator' in options
    ? aggregatorScope(options.client, options.aggregator.name, types, options.logger, send)
    : accountScope(
        options.client,
        options.account,
        types,
        options.homeRegion,
        send,
        options.logger,
      );
}

async function accountScope(
  client: ConfigServiceClient,
  account: string,
  types: readonly string[],
  homeRegion: string | undefined,
  send: SendOptions,
  logger: Pick<PipelineLogger, 'warn'> | undefined,
): Promise<CoveredScope> {
  if (account === '') throw new TypeError('sweepScope needs the account id');
  const region = await client.config.region();
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
  const answer = await client.send(new DescribeConfigurationRecordersCommand({}), send);
  const recorders = answerList(
    answer.ConfigurationRecorders,
    'ConfigService DescribeConfigurationRecorders',
    'ConfigurationRecorders',
  );
  // Service-linked recorders (servicePrincipal set) record for another
  // service's own use; only customer managed recorders are counted. A
  // recorder that is no object records nothing (recordsType).
  const groups = recorders
    .filter((recorder) => typeof recorder === 'object' && recorder !== null)
    .filter((recorder) => recorder.servicePrincipal === undefined)
    .map((recorder) => recorder.recordingGroup);
  // Another region's recorder may record IAM too (older setups did), or say
  // it does where Config cannot: only the home region's sweep may resolve
  // IAM findings, or each region would answer for the same global resources.
  const home = region === (homeRegion ?? region);
  const answersForGlobal = home && canRecordGlobalIam(region);
  const recorded = types.filter(
    (type) =>
      (answersForGlobal || !GLOBAL_IAM_TYPES.includes(type)) &&
      groups.some((group) => recordsType(group, type)),
  );
  warnUnrecorded(logger, account, region, types, recorded, home);
  return {
    provider: 'aws',
    accounts: new Set([account]),
    regions: regionsOf([region], recorded),
    kinds: kindsOf(recorded),
  };
}

/**
 * A swept type the region's recorder does not record is never listed: without a word, a sweep
 * of an account whose recorder leaves out security groups says nothing about them. So it is
 * named, once per sweep: the types this region should answer for (the global IAM types only in
 * the home region) that it does not record, and why when the region cannot record IAM at all.
 */
function warnUnrecorded(
  logger: Pick<PipelineLogger, 'warn'> | undefined,
  account: string,
  region: string,
  types: readonly string[],
  recorded: readonly string[],
  home: boolean,
): void {
  const missing = types.filter(
    (type) => !recorded.includes(type) && (home || !GLOBAL_IAM_TYPES.includes(type)),
  );
  if (missing.length === 0) return;
  const iamImpossible =
    home && !canRecordGlobalIam(region) && missing.some((t) => GLOBAL_IAM_TYPES.includes(t));
  logger?.warn(
    {
      account,
      region,
      resourceTypes: missing,
      ...(iamImpossible
        ? {
            reason: `AWS Config cannot record the global IAM types in ${region}: sweep them from a region that can (--home-region)`,
          }
        : {}),
    },
    'the configuration recorder does not record these supported types: the sweep sees none of them and reports nothing about them (record them, or leave them out of --resource-types)',
  );
}

async function aggregatorScope(
  client: ConfigServiceClient,
  name: string,
  types: readonly string[],
  logger: Pick<PipelineLogger, 'warn'> | undefined,
  send: SendOptions,
): Promise<CoveredScope> {
  let answers: DescribeConfigurationAggregatorSourcesStatusResponse[];
  try {
    answers = await sourcesStatus(client, name, send);
  } catch (error) {
    if (send.abortSignal?.aborted) throw error;
    // Denied (a role without config:DescribeConfigurationAggregatorSourcesStatus),
    // or not implemented (moto): which sources loaded is unknown, so none is claimed.
    logger?.warn(
      { aggregator: name, error: error instanceof Error ? error.message : String(error) },
      'aggregator sources status unreadable: the sweep covers no account and resolves nothing as deleted',
    );
    return { provider: 'aws', accounts: new Set(), regions: new Set(), kinds: kindsOf(types) };
  }
  const { accounts, regions } = succeededSources(answers);
  return {
    provider: 'aws',
    accounts,
    regions: regionsOf([...regions], types),
    kinds: kindsOf(types),
  };
}

/** Every page of the aggregator's source status. */
async function sourcesStatus(
  client: ConfigServiceClient,
  name: string,
  send: SendOptions,
): Promise<DescribeConfigurationAggregatorSourcesStatusResponse[]> {
  const answers: DescribeConfigurationAggregatorSourcesStatusResponse[] = [];
  let nextToken: string | undefined;
  do {
    // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationAggregatorSourcesStatus.html
    const answer = await client.send(
      new DescribeConfigurationAggregatorSourcesStatusCommand({
        ConfigurationAggregatorName: name,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
      send,
    );
    const operation = 'ConfigService DescribeConfigurationAggregatorSourcesStatus';
    answerList(answer.AggregatedSourceStatusList, operation, 'AggregatedSourceStatusList');
    answers.push(answer);
    const next = answerToken(answer.NextToken, operation, 'NextToken');
    if (next !== undefined && next === nextToken) {
      throw new Error(
        'DescribeConfigurationAggregatorSourcesStatus answered its own NextToken again',
      );
    }
    nextToken = next;
  } while (nextToken !== undefined);
  return answers;
}

/**
 * The accounts and regions an aggregator sweep covers, from the pages of
 * DescribeConfigurationAggregatorSourcesStatus: only (account, region)
 * sources whose LastUpdateStatus is SUCCEEDED — a FAILED or OUTDATED source
 * did not bring its resources, and sweeping their absence proves nothing
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_AggregatedSourceStatus.html).
 * Only ACCOUNT sources name an account: an ORGANIZATION source's SourceId is
 * the organization, whose accounts it does not list.
 *
 * A scope is accounts × regions, so it must hold only succeeded pairs: either
 * every succeeded region with the accounts that succeeded in all of them, or
 * every succeeded account with the regions where all of them succeeded —
 * whichever covers more pairs.
 */
export function succeededSources(
  answers: readonly DescribeConfigurationAggregatorSourcesStatusResponse[],
): { accounts: Set<string>; regions: Set<string> } {
  const byRegion = new Map<string, Set<string>>();
  for (const answer of answers) {
    for (const source of answer.AggregatedSourceStatusList ?? []) {
      const { SourceId: account, AwsRegion: region } = source;
      if (source.LastUpdateStatus !== 'SUCCEEDED' || source.SourceType !== 'ACCOUNT') continue;
      if (!account || !region) continue;
      const accounts = byRegion.get(region) ?? new Set<string>();
      accounts.add(account);
      byRegion.set(region, accounts);
    }
  }
  const regions = [...byRegion.keys()];
  const allAccounts = new Set([...byRegion.values()].flatMap((accounts) => [...accounts]));
  const everywhere = new Set(
    [...allAccounts].filter((account) => regions.every((r) => byRegion.get(r)?.has(account))),
  );
  const complete = new Set(
    regions.filter((region) => [...allAccounts].every((a) => byRegion.get(region)?.has(a))),
  );
  return everywhere.size * regions.length >= allAccounts.size * complete.size
    ? { accounts: everywhere, regions: new Set(regions) }
    : { accounts: allAccounts, regions: complete };
}

function regionsOf(regions: readonly string[], types: readonly string[]): Set<string> {
  const covered = new Set(regions);
  if (regions.length > 0 && types.some((type) => GLOBAL_IAM_TYPES.includes(type))) {
    covered.add(GLOBAL_REGION);
  }
  return covered;
}

/**
 * The kinds the types cover. Several types share a kind (AWS::IAM::Role, User
 * and Policy are all "iam.policy"), and a finding names its kind, not its
 * type: a kind is covered only when every supported type of it is, or a sweep
 * of roles alone would resolve the findings of users. Unsupported types
 * normalize to kind "other", which no sweep covers whole.
 */
function kindsOf(types: readonly string[]): Set<string> {
  const kinds = new Set<string>();
  for (const type of types) {
    if (Object.hasOwn(SUPPORTED_TYPES, type)) kinds.add(SUPPORTED_TYPES[type] as string);
  }
  for (const [type, kind] of Object.entries(SUPPORTED_TYPES)) {
    if (!types.includes(type)) kinds.delete(kind);
  }
  return kinds;
}
