import type {
  BaseConfigurationItem,
  ConfigServiceClient,
  ConfigurationItemStatus,
  ResourceType,
} from '@aws-sdk/client-config-service';
import type { SweepPage, SweepReader } from '@drift-detective/pipeline';
import { createInventoryContext, type Resource } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { awsInventory } from '../../src/index.js';

/**
 * What the pipeline does with one sweep document (normalizeDocument in
 * libs/pipeline/src/core.ts, which the pipeline does not export): unwrap,
 * collect into a context of this document alone, normalize the rest. Every
 * resource is checked against the JSON Schema; a record that cannot be
 * normalized fails the test.
 */
export function normalizeDocument(document: unknown, source: string): Resource[] {
  const records = awsInventory.unwrap(document, source);
  const context = createInventoryContext();
  const resources = records
    .filter((record) => !awsInventory.collect(record, context))
    .map((record) => awsInventory.normalize(record, context));
  for (const resource of resources) assertValidResource(resource, source);
  return resources;
}

export async function readAll(reader: SweepReader): Promise<SweepPage[]> {
  const pages: SweepPage[] = [];
  for await (const page of reader) pages.push(page);
  return pages;
}

/** Every resource of the pages, normalized one document at a time. */
export function resourcesOf(pages: readonly SweepPage[]): Resource[] {
  return pages.flatMap((page, p) =>
    page.documents.flatMap((document, d) => normalizeDocument(document, `page${p}[${d}]`)),
  );
}

/** The calls a client sends, with their input, in order (an observer: the calls still go out). */
export interface CallLog {
  readonly calls: { readonly command: string; readonly input: Record<string, unknown> }[];
  count(command: string, where?: (input: Record<string, unknown>) => boolean): number;
}

export function logCalls(client: ConfigServiceClient): CallLog {
  const calls: CallLog['calls'] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push({
        command: String(context.commandName),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name: 'testCallLog' },
  );
  return {
    calls,
    count: (command, where = () => true) =>
      calls.filter((call) => call.command === command && where(call.input)).length,
  };
}

/**
 * A recorded configuration item (either envelope of the corpus) as
 * BatchGetResourceConfig hands it back through the SDK: the
 * BaseConfigurationItem members only (no tags, relationships, MD5 hash:
 * https://docs.aws.amazon.com/config/latest/APIReference/API_BaseConfigurationItem.html),
 * timestamps as Date, configuration and each supplementaryConfiguration value
 * as JSON text (a value already written as text is kept as it is).
 */
export function asBatchGetItem(fixture: Record<string, unknown>): BaseConfigurationItem {
  const text = (key: string) => {
    const value = fixture[key];
    return typeof value === 'string' ? value : undefined;
  };
  const time = (key: string) => {
    const value = text(key);
    return value === undefined ? undefined : new Date(value);
  };
  const configuration = fixture['configuration'];
  const supplementary = fixture['supplementaryConfiguration'] as
    Record<string, unknown> | undefined;
  const item: BaseConfigurationItem = {
    version: text('version') ?? text('configurationItemVersion'),
    accountId: text('accountId') ?? text('awsAccountId'),
    configurationItemCaptureTime: time('configurationItemCaptureTime'),
    configurationItemStatus: text('configurationItemStatus') as ConfigurationItemStatus | undefined,
    configurationStateId: String(fixture['configurationStateId']),
    arn: text('arn') ?? text('ARN'),
    resourceType: text('resourceType') as ResourceType | undefined,
    resourceId: text('resourceId'),
    resourceName: text('resourceName'),
    awsRegion: text('awsRegion'),
    availabilityZone: text('availabilityZone'),
    resourceCreationTime: time('resourceCreationTime'),
    configuration:
      typeof configuration === 'string' ? configuration : JSON.stringify(configuration),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(supplementary ?? {}).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    ),
  };
  // The SDK leaves absent members out; so does this.
  return Object.fromEntries(
    Object.entries(item).filter(([, value]) => value !== undefined),
  ) as BaseConfigurationItem;
}
