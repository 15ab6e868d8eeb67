/**
 * The event types this webhook acts on. Resource events:
 * https://learn.microsoft.com/azure/event-grid/event-schema-resource-groups
 * (contract: specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/Resources.json);
 * Event Grid's own: https://learn.microsoft.com/azure/event-grid/webhook-event-delivery
 * (…/Microsoft.EventGrid/stable/2024-01-01/EventGrid.json).
 */
export const EVENT_TYPES = {
  subscriptionValidation: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  subscriptionDeleted: 'Microsoft.EventGrid.SubscriptionDeletedEvent',
  resourceWriteSuccess: 'Microsoft.Resources.ResourceWriteSuccess',
  resourceDeleteSuccess: 'Microsoft.Resources.ResourceDeleteSuccess',
} as const;

/**
 * What an event asks of us: answer the handshake, judge a write, resolve a
 * delete, or nothing. Action events and failed or canceled operations change
 * no configuration we judge (a failed write leaves the old one), so they are
 * acknowledged and counted, never judged.
 */
export type EventRole = 'validation' | 'write' | 'delete' | 'ignored';

export function roleOf(eventType: string): EventRole {
  switch (eventType.toLowerCase()) {
    case EVENT_TYPES.subscriptionValidation.toLowerCase():
      return 'validation';
    case EVENT_TYPES.resourceWriteSuccess.toLowerCase():
      return 'write';
    case EVENT_TYPES.resourceDeleteSuccess.toLowerCase():
      return 'delete';
    default:
      return 'ignored';
  }
}

/** A metric label for an ignored type: Microsoft's own names, everything else as "other". */
export function typeLabel(eventType: string): string {
  return /^Microsoft\.[A-Za-z.]+$/.test(eventType) ? eventType : 'other';
}
