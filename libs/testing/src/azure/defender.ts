// Microsoft Defender for Cloud custom assessments, api-version 2021-06-01
// (assessmentMetadata.json, assessments.json): subscription-level assessment
// metadata, and assessments that report a resource against a metadata name
// (https://learn.microsoft.com/rest/api/defenderforcloud/assessments-metadata,
// https://learn.microsoft.com/rest/api/defenderforcloud/assessments).
import { armError, json, type Answer } from './answers.js';
import { canonicalId, idKey, subscriptionOf } from './arm-ids.js';

const METADATA_TYPE = 'Microsoft.Security/assessmentMetadata';
const ASSESSMENT_TYPE = 'Microsoft.Security/assessments';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Metadata {
  readonly subscriptionId: string;
  readonly name: string;
  readonly properties: Json;
}

interface Assessment {
  readonly resourceId: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceDetails: Json;
  readonly status: Json;
  readonly firstEvaluationDate: string;
  readonly statusChangeDate: string;
  readonly additionalData?: Json;
  readonly partnersData?: Json;
}

/** An assessment as the Security API represents it (GetAssessment_example.json). */
export interface AssessmentView {
  readonly id: string;
  readonly name: string;
  readonly type: 'Microsoft.Security/assessments';
  readonly properties: {
    readonly resourceDetails: Json;
    readonly displayName?: string;
    readonly status: {
      readonly code: string;
      readonly cause?: string;
      readonly description?: string;
    } & Json;
    readonly additionalData?: Readonly<Record<string, string>>;
  } & Json;
}

/** Write-only fields (x-ms-secret) the service never returns. */
function withoutSecret(value: unknown): Json | undefined {
  if (!isRecord(value)) return undefined;
  const { secret: _secret, ...rest } = value;
  return rest;
}

/** MM/dd/yyyy, the pattern of publishDates in the contract. */
function publishDate(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()}`;
}

export class DefenderState {
  private readonly metadataByKey = new Map<string, Metadata>();
  private readonly assessmentsByKey = new Map<string, Assessment>();

  /** Subscription-level metadata answers with a subscription-scoped id, as the service does
   * (a real answer: https://github.com/Azure/azure-rest-api-specs/issues/14918; the example
   * file shows the tenant-level id instead). */
  metadataView(m: Metadata): Json {
    return {
      id: `/subscriptions/${m.subscriptionId}/providers/${METADATA_TYPE}/${m.name}`,
      name: m.name,
      type: METADATA_TYPE,
      properties: m.properties,
    };
  }

  assessmentView(a: Assessment, expand?: string | null): AssessmentView {
    const metadata = this.metadataByKey.get(metadataKey(a.subscriptionId, a.name));
    const displayName = metadata?.properties['displayName'];
    return {
      id: `${a.resourceId}/providers/${ASSESSMENT_TYPE}/${a.name}`,
      name: a.name,
      type: ASSESSMENT_TYPE,
      properties: {
        resourceDetails: a.resourceDetails,
        ...(typeof displayName === 'string' ? { displayName } : {}),
        status: {
          ...(a.status as { code: string }),
          statusChangeDate: a.statusChangeDate,
          firstEvaluationDate: a.firstEvaluationDate,
        },
        ...(a.additionalData !== undefined
          ? { additionalData: a.additionalData as Record<string, string> }
          : {}),
        ...(a.partnersData !== undefined ? { partnersData: a.partnersData } : {}),
        // $expand=links|metadata adds these (GetAssessmentWithExpand_example.json).
        ...(expand?.toLowerCase() === 'links'
          ? {
              links: {
                azurePortalUri: `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${a.name}`,
              },
            }
          : {}),
        ...(expand?.toLowerCase() === 'metadata' && metadata !== undefined
          ? { metadata: metadata.properties }
          : {}),
      },
    };
  }

  allAssessments(): AssessmentView[] {
    return [...this.assessmentsByKey.values()].map((a) => this.assessmentView(a));
  }

  allMetadata(): Json[] {
    return [...this.metadataByKey.values()].map((m) => this.metadataView(m));
  }

  putMetadata(subscriptionId: string, name: string, body: unknown): Answer {
    const given = isRecord(body) && isRecord(body['properties']) ? body['properties'] : {};
    const partnerData = withoutSecret(given['partnerData']);
    const properties: Json = {
      ...given,
      ...(partnerData !== undefined ? { partnerData } : {}),
      // The service stamps a publish date when none is given (CreateAssessmentsMetadata_subscription_example.json).
      publishDates: isRecord(given['publishDates'])
        ? given['publishDates']
        : { public: publishDate(new Date()) },
    };
    const metadata = { subscriptionId, name, properties };
    this.metadataByKey.set(metadataKey(subscriptionId, name), metadata);
    return json(200, this.metadataView(metadata));
  }

  getMetadata(subscriptionId: string, name: string): Answer {
    const found = this.metadataByKey.get(metadataKey(subscriptionId, name));
    return found ? json(200, this.metadataView(found)) : notFound(`assessment metadata '${name}'`);
  }

  listMetadata(subscriptionId: string): Answer {
    const value = [...this.metadataByKey.values()]
      .filter((m) => m.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
      .map((m) => this.metadataView(m));
    return json(200, { value });
  }

  /** Deleting metadata deletes every assessment of that type in the subscription (contract description). */
  deleteMetadata(subscriptionId: string, name: string): Answer {
    this.metadataByKey.delete(metadataKey(subscriptionId, name));
    for (const [key, a] of this.assessmentsByKey) {
      if (metadataKey(a.subscriptionId, a.name) === metadataKey(subscriptionId, name)) {
        this.assessmentsByKey.delete(key);
      }
    }
    return { status: 200 };
  }

  putAssessment(resourceIdParam: string, name: string, body: unknown): Answer {
    const resourceId = canonicalId(resourceIdParam);
    const subscriptionId = subscriptionOf(resourceId);
    // "An assessment metadata that describes this assessment must be predefined with the same
    // name before inserting the assessment result" (assessments.json). The service's exact
    // refusal is not documented; this answers 400 with the CloudError shape.
    if (
      subscriptionId === undefined ||
      !this.metadataByKey.has(metadataKey(subscriptionId, name))
    ) {
      return armError(
        400,
        'BadRequest',
        `Assessment metadata '${name}' does not exist in subscription '${subscriptionId ?? '(none)'}'; create it before reporting assessments of it.`,
      );
    }
    const properties = isRecord(body) && isRecord(body['properties']) ? body['properties'] : {};
    const status = isRecord(properties['status']) ? properties['status'] : {};
    const given = isRecord(properties['resourceDetails'])
      ? properties['resourceDetails']
      : { source: 'Azure' };
    const key = assessmentKey(resourceId, name);
    const previous = this.assessmentsByKey.get(key);
    const now = new Date().toISOString();
    const partnersData = withoutSecret(properties['partnersData']);
    const assessment: Assessment = {
      resourceId,
      name,
      subscriptionId,
      // The service fills the assessed resource's id for Azure resources (read-only in the request).
      resourceDetails: given['source'] === 'Azure' ? { ...given, id: resourceId } : given,
      status,
      firstEvaluationDate: previous?.firstEvaluationDate ?? now,
      statusChangeDate:
        previous !== undefined && previous.status['code'] === status['code']
          ? previous.statusChangeDate
          : now,
      ...(isRecord(properties['additionalData'])
        ? { additionalData: properties['additionalData'] }
        : {}),
      ...(partnersData !== undefined ? { partnersData } : {}),
    };
    this.assessmentsByKey.set(key, assessment);
    return json(previous === undefined ? 201 : 200, this.assessmentView(assessment));
  }

  getAssessment(resourceIdParam: string, name: string, expand: string | null): Answer {
    const found = this.assessmentsByKey.get(assessmentKey(canonicalId(resourceIdParam), name));
    return found ? json(200, this.assessmentView(found, expand)) : notFound(`assessment '${name}'`);
  }

  /** 200 when it existed, 204 when it did not (assessments.json). */
  deleteAssessment(resourceIdParam: string, name: string): Answer {
    const existed = this.assessmentsByKey.delete(assessmentKey(canonicalId(resourceIdParam), name));
    return { status: existed ? 200 : 204 };
  }

  /** Assessments at or under a scope: a subscription, resource group, resource, or a management group's subscriptions. */
  listAssessments(
    scopeParam: string,
    managementGroups: Readonly<Record<string, readonly string[]>>,
  ): Answer {
    const scope = idKey(canonicalId(scopeParam));
    const group = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(
      scope,
    )?.[1];
    const members =
      group === undefined
        ? undefined
        : (Object.entries(managementGroups)
            .find(([n]) => n.toLowerCase() === group)?.[1]
            ?.map((s) => s.toLowerCase()) ?? []);
    const value = [...this.assessmentsByKey.values()]
      .filter((a) => {
        if (members !== undefined) return members.includes(a.subscriptionId.toLowerCase());
        const id = idKey(a.resourceId);
        return id === scope || id.startsWith(`${scope}/`);
      })
      .map((a) => this.assessmentView(a));
    return json(200, { value });
  }
}

const metadataKey = (subscriptionId: string, name: string): string =>
  `${subscriptionId.toLowerCase()}/${name.toLowerCase()}`;

const assessmentKey = (resourceId: string, name: string): string =>
  `${idKey(resourceId)}|${name.toLowerCase()}`;

function notFound(what: string): Answer {
  return armError(404, 'NotFound', `The ${what} was not found.`);
}
