import {
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationRecordersCommand,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import type { CoveredScope } from '@drift-detective/findings';
import { SUPPORTED_TYPES } from '../normalize/registry.js';
import { defaultSweepTypes } from './config-sweep.js';
import { GLOBAL_IAM_TYPES, GLOBAL_REGION, recordsType } from './recording-group.js';

interface CommonScopeOptions {
  /** The client the sweep uses. */
  readonly client: ConfigServiceClient;
  /** The sweep's resource types (default: every supported type, as configSweepReader). */
  readonly resourceTypes?: readonly string[] | undefined;
}

export interface AccountScopeOptions extends CommonScopeOptions {
  /** The account the client's credentials are in (STS GetCallerIdentity, which this library does not call). */
  readonly account: string;
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
 * Without an aggregator: the account given, the client's region (and
 * "global", the awsRegion of IAM items, when IAM types are recorded), and
 * the kinds of the swept types that the region's configuration recorder
 * records (DescribeConfigurationRecorders): a type it does not record is
 * never listed, so sweeping it proves nothing.
 *
 * With an aggregator: the accounts and regions of its AccountAggregationSources
 * (DescribeConfigurationAggregators), and the kinds of the swept types.
 * DescribeConfigurationAggregatorSourcesStatus would tell which sources
 * actually loaded, but moto (the emulator the tests run on) does not model
 * it, so the aggregator's definition is read instead; an aggregator of an
 * organization (whose accounts its definition does not list) is refused.
 */
export async function sweepScope(options: SweepScopeOptions): Promise<CoveredScope> {
  const types = options.resourceTypes ?? defaultSweepTypes();
  return 'aggregator' in options
    ? aggregatorScope(options.client, options.aggregator.name, types)
    : accountScope(options.client, options.account, types);
}

async function accountScope(
  client: ConfigServiceClient,
  account: string,
  types: readonly string[],
): Promise<CoveredScope> {
  if (account === '') throw new TypeError('sweepScope needs the account id');
  const region = await client.config.region();
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
  const answer = await client.send(new DescribeConfigurationRecordersCommand({}));
  // Service-linked recorders (servicePrincipal set) record for another
  // service's own use; only customer managed recorders are counted.
  const groups = (answer.ConfigurationRecorders ?? [])
    .filter((recorder) => recorder.servicePrincipal === undefined)
    .map((recorder) => recorder.recordingGroup);
  const recorded = types.filter((type) => groups.some((group) => recordsType(group, type)));
  return {
    provider: 'aws',
    accounts: new Set([account]),
    regions: regionsOf([region], recorded),
    kinds: kindsOf(recorded),
  };
}

async function aggregatorScope(
  client: ConfigServiceClient,
  name: string,
  types: readonly string[],
): Promise<CoveredScope> {
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationAggregators.html
  const answer = await client.send(
    new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [name] }),
  );
  const aggregator = (answer.ConfigurationAggregators ?? []).find(
    (candidate) => candidate.ConfigurationAggregatorName === name,
  );
  if (aggregator === undefined) throw new Error(`configuration aggregator ${name} not found`);
  const sources = aggregator.AccountAggregationSources ?? [];
  if (aggregator.OrganizationAggregationSource !== undefined || sources.length === 0) {
    throw new Error(
      `configuration aggregator ${name} gathers an organization: its definition lists no accounts, so the scope of a sweep of it is unknown`,
    );
  }
  const accounts = new Set(sources.flatMap((source) => source.AccountIds ?? []));
  // A scope is accounts × regions: with several sources only the regions
  // every source gathers are covered for all of their accounts. (The API
  // takes one account source today; the intersection keeps the scope exact
  // should it take more.)
  // https://docs.aws.amazon.com/config/latest/APIReference/API_AccountAggregationSource.html
  let regions: ReadonlySet<string> | null = null;
  for (const source of sources) {
    if (source.AllAwsRegions === true) continue;
    regions = intersect(regions, new Set(source.AwsRegions ?? []));
  }
  return {
    provider: 'aws',
    accounts,
    regions: regions === null ? null : regionsOf([...regions], types),
    kinds: kindsOf(types),
  };
}

/** The regions in both (null: every region). */
function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string>): ReadonlySet<string> {
  return a === null ? b : new Set([...a].filter((region) => b.has(region)));
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
