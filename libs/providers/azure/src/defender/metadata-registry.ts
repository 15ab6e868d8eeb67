import { callAzure, statusOf } from '../arm/call-errors.js';
import type { AzureClients } from '../arm/clients.js';
import { assessmentName } from './assessment-name.js';
import { metadataOf, type RuleSource } from './mapping.js';

/**
 * Makes sure each rule's assessment metadata exists in a subscription before
 * an assessment of it is written there ("An assessment metadata that
 * describes this assessment must be predefined with the same name before
 * inserting the assessment result":
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments/create-or-update).
 * A GET first, a PUT only when it answers 404; remembered per subscription
 * and rule for the life of the registry, so a publish reads it once. Calls
 * for the same metadata share one promise; a failed one is forgotten, so the
 * next publish tries again.
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments-metadata/get-in-subscription
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments-metadata/create-in-subscription
 */
export class MetadataRegistry {
  private readonly known = new Map<string, Promise<void>>();

  constructor(private readonly clients: Pick<AzureClients, 'security'>) {}

  ensure(subscription: string, rule: RuleSource, signal?: AbortSignal): Promise<void> {
    const name = assessmentName(rule.ruleId);
    const key = `${subscription.toLowerCase()}/${name}`;
    let pending = this.known.get(key);
    if (!pending) {
      pending = this.create(subscription, name, rule, signal);
      pending.catch(() => this.known.delete(key));
      this.known.set(key, pending);
    }
    return pending;
  }

  private async create(
    subscription: string,
    name: string,
    rule: RuleSource,
    signal?: AbortSignal,
  ): Promise<void> {
    const client = this.clients.security(subscription);
    const options = signal ? { abortSignal: signal } : {};
    const where = `assessment metadata ${name} (${rule.ruleId}) in subscription ${subscription}`;
    try {
      await callAzure(`Defender for Cloud GET ${where}`, () =>
        client.assessmentsMetadata.getInSubscription(name, options),
      );
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    await callAzure(`Defender for Cloud PUT ${where}`, () =>
      client.assessmentsMetadata.createInSubscription(name, metadataOf(rule), options),
    );
  }
}
