// The validator itself: Microsoft's own example files pass, deliberately wrong
// requests and answers do not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { azureContracts } from './contracts.js';
import type { ContractOperation } from './operations.js';

const contracts = azureContracts();

/** Examples the contracts name that the specs README lists as not copied. */
const NOT_COPIED = new Set([
  'ResourcesTenantBasicQuery.json',
  'ResourcesComplexQuery.json',
  'ResourcesPropertiesQuery.json',
  'PutAssessment_example.json',
  'DeleteAssessmentsMetadata_subscription_example.json',
]);

interface Example {
  readonly parameters: Record<string, unknown>;
  readonly responses: Record<string, { body?: unknown }>;
}

/** The request an example describes: its path parameters put into the template, the rest as query/body. */
function requestOf(operation: ContractOperation, example: Example) {
  const urlPath = operation.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    String(example.parameters[name]),
  );
  const query = new URLSearchParams();
  let body = '';
  for (const parameter of operation.parameters) {
    const value = example.parameters[parameter.name];
    if (value === undefined) continue;
    if (parameter.in === 'query') query.set(parameter.name, String(value));
    if (parameter.in === 'body') body = JSON.stringify(value);
  }
  return { urlPath: urlPath.replace(/^\/+/, '/'), query, body };
}

const examples = contracts.operations.flatMap((operation) =>
  Object.entries(operation.examples).map(([name, file]) => ({ operation, name, file })),
);

describe('the contracts in libs/testing/contracts/azure', () => {
  it('declare the operations the stand-in serves', () => {
    expect(contracts.operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining([
        'Resources',
        'AssessmentsMetadata_CreateInSubscription',
        'AssessmentsMetadata_GetInSubscription',
        'AssessmentsMetadata_ListBySubscription',
        'AssessmentsMetadata_DeleteInSubscription',
        'Assessments_CreateOrUpdate',
        'Assessments_Get',
        'Assessments_List',
        'Assessments_Delete',
      ]),
    );
  });

  it('leave out only the examples their README says were not copied', () => {
    const missing = examples.filter((e) => !existsSync(e.file)).map((e) => path.basename(e.file));
    expect(new Set(missing)).toEqual(NOT_COPIED);
  });

  describe.each(examples.filter((e) => existsSync(e.file)))(
    'example $name',
    ({ operation, file }) => {
      const example = JSON.parse(readFileSync(file, 'utf8')) as Example;

      it('is a request that matches its operation and validates', () => {
        const { urlPath, query, body } = requestOf(operation, example);
        const match = contracts.findOperation(operation.method, urlPath);
        expect(match?.operation.operationId).toBe(operation.operationId);
        expect(contracts.validateRequest(match!, { query, body })).toEqual([]);
      });

      it.each(Object.entries(example.responses))(
        'answers %s as its schema says',
        (status, response) => {
          const raw = response.body === undefined ? '' : JSON.stringify(response.body);
          expect(contracts.validateResponse(operation, Number(status), raw)).toEqual([]);
        },
      );
    },
  );
});

const operation = (id: string): ContractOperation =>
  contracts.operations.find((o) => o.operationId === id)!;

const SUB = '20ff7fc3-e762-44dd-bd96-b71116dcdc23';
const RESOURCE = `/subscriptions/${SUB}/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss2`;
const goodAssessment = {
  id: `${RESOURCE}/providers/Microsoft.Security/assessments/21300918-b2e3-0346-785f-c77ff57d243b`,
  name: '21300918-b2e3-0346-785f-c77ff57d243b',
  type: 'Microsoft.Security/assessments',
  properties: {
    resourceDetails: { source: 'Azure', id: RESOURCE },
    displayName: 'x',
    status: { code: 'Healthy' },
  },
};

describe('wrong answers', () => {
  it.each([
    [
      'a field the contract does not declare',
      { ...goodAssessment, subscriptionId: SUB },
      'unevaluated',
    ],
    [
      'a required field missing',
      { ...goodAssessment, properties: { status: { code: 'Healthy' } } },
      'resourceDetails',
    ],
    [
      'additionalData that is not a string map',
      { ...goodAssessment, properties: { ...goodAssessment.properties, additionalData: { n: 1 } } },
      'must be string',
    ],
    [
      'a secret returned',
      {
        ...goodAssessment,
        properties: {
          ...goodAssessment.properties,
          partnersData: { partnerName: 'p', secret: 's' },
        },
      },
      'x-ms-secret',
    ],
    ['a non-JSON body', '<html/>', 'not JSON'],
  ])('fail: %s', (_, body, expected) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const problems = contracts.validateResponse(operation('Assessments_Get'), 200, raw);
    expect(problems.join('\n')).toContain(expected);
  });

  it('fail for a status the operation does not declare', () => {
    expect(
      contracts.validateResponse(operation('Assessments_Get'), 201, JSON.stringify(goodAssessment)),
    ).toEqual([expect.stringContaining('status 201 is not declared')]);
  });

  it('fail for an error body that is not CloudError / ErrorResponse', () => {
    const flat = JSON.stringify({ code: 'NotFound', message: 'gone' });
    expect(contracts.validateResponse(operation('Assessments_Get'), 404, flat)).not.toEqual([]);
    expect(
      contracts.validateResponse(
        operation('Resources'),
        400,
        JSON.stringify({ error: { code: 'X' } }),
      ),
    ).toEqual([expect.stringContaining("'message'")]);
  });

  it('fail for a closed enum out of its values (resultTruncated is "true"/"false")', () => {
    const answer = { totalRecords: 0, count: 0, data: [], resultTruncated: false };
    expect(
      contracts.validateResponse(operation('Resources'), 200, JSON.stringify(answer)),
    ).not.toEqual([]);
  });
});

describe('wrong requests', () => {
  const put = contracts.findOperation(
    'PUT',
    `/${RESOURCE}/providers/Microsoft.Security/assessments/21300918-b2e3-0346-785f-c77ff57d243b`,
  )!;

  it('take a {resourceId} with its leading slash as the whole resource id', () => {
    expect(put.operation.operationId).toBe('Assessments_CreateOrUpdate');
    expect(put.pathParameters['resourceId']).toBe(RESOURCE);
  });

  it('fail for read-only fields, another api-version, and a missing body', () => {
    const body = JSON.stringify({ properties: { ...goodAssessment.properties } });
    const problems = contracts.validateRequest(put, {
      query: new URLSearchParams('api-version=2020-01-01'),
      body,
    });
    expect(problems.join('\n')).toContain('api-version');
    expect(problems.join('\n')).toContain('/properties/displayName is read-only');
    expect(problems.join('\n')).toContain('/properties/resourceDetails/id is read-only');
    expect(
      contracts.validateRequest(put, {
        query: new URLSearchParams('api-version=2021-06-01'),
        body: '',
      }),
    ).toEqual([expect.stringContaining('is required')]);
  });

  it('fail for a subscription id that is not a GUID', () => {
    const get = contracts.findOperation(
      'GET',
      '/subscriptions/not-a-guid/providers/Microsoft.Security/assessmentMetadata/x',
    )!;
    const problems = contracts.validateRequest(get, {
      query: new URLSearchParams('api-version=2021-06-01'),
      body: '',
    });
    expect(problems.join('\n')).toContain("'subscriptionId' must match pattern");
  });

  it('fail for a Resource Graph page size above 1000', () => {
    const post = contracts.findOperation('POST', '/providers/Microsoft.ResourceGraph/resources')!;
    const body = JSON.stringify({ query: 'resources', options: { $top: 5000 } });
    const problems = contracts.validateRequest(post, {
      query: new URLSearchParams('api-version=2024-04-01'),
      body,
    });
    expect(problems.join('\n')).toContain('$top must be <= 1000');
  });
});

describe('Event Grid payloads against their definitions', () => {
  const examplesDir = path.join(
    contracts.specsDir,
    'specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/examples',
  );
  const files = ['', 'event-grid-schema', 'cloud-events-schema'].flatMap((dir) =>
    readdirSync(path.join(examplesDir, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ dir, file: path.join(examplesDir, dir, f) })),
  );
  const envelopes = 'Microsoft.EventGrid/stable/2018-01-01/EventGrid.json';

  it.each(files)('$dir $file validates, envelope and data', ({ dir, file }) => {
    const event = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const cloudEvent = dir === 'cloud-events-schema';
    const eventType = String(cloudEvent ? event['type'] : event['eventType']);
    const dataDefinition = `${eventType.replace('Microsoft.Resources.', '')}Data`;
    expect(
      contracts.validateDefinition(
        envelopes,
        cloudEvent ? 'CloudEventEvent' : 'EventGridEvent',
        event,
      ),
    ).toEqual([]);
    expect(contracts.validateDefinition('Resources.json', dataDefinition, event['data'])).toEqual(
      [],
    );
  });

  it('rejects an event whose data breaks the definition', () => {
    const problems = contracts.validateDefinition('Resources.json', 'ResourceWriteSuccessData', {
      resourceUri: 42,
      claims: { aud: ['not', 'a', 'string'] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/resourceUri'),
        expect.stringContaining('/claims/aud'),
      ]),
    );
  });

  it('checks the subscription-validation handshake of the newest stable EventGrid.json', () => {
    const file = 'Microsoft.EventGrid/stable/2024-01-01/EventGrid.json';
    expect(
      contracts.validateDefinition(file, 'SubscriptionValidationEventData', {
        validationCode: 'c',
        validationUrl: 'https://x',
      }),
    ).toEqual([]);
    expect(
      contracts.validateDefinition(file, 'SubscriptionValidationResponse', {
        validationResponse: 'c',
      }),
    ).toEqual([]);
    expect(
      contracts.validateDefinition(file, 'SubscriptionValidationResponse', { validationCode: 'c' }),
    ).not.toEqual([]);
  });

  it('reports the upstream defect of EventGrid.json 2024-01-01 instead of passing over it', () => {
    const problems = contracts.validateDefinition(
      'Microsoft.EventGrid/stable/2024-01-01/EventGrid.json',
      'EventGridMQTTClientCreatedOrUpdatedEventData',
      {
        state: 'Enabled',
        createdOn: '2024-01-01T00:00:00Z',
        updatedOn: '2024-01-01T00:00:00Z',
        attributes: {},
      },
    );
    expect(problems.join('\n')).toContain(
      'contract defect: $ref #/definitions/EventGrid.EventGridMQTTClientState',
    );
  });

  it('names an ambiguous contract file instead of guessing', () => {
    expect(() =>
      contracts.validateDefinition('EventGrid.json', 'SubscriptionValidationResponse', {}),
    ).toThrow(/ambiguous/);
  });
});
