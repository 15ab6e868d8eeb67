import { asText, at } from '../decode/json.js';

/**
 * The claim names Resource events carry in `data.claims` (a string map), as in
 * the examples beside Resources.json
 * (specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/examples).
 */
const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const NAME = 'name';
const APP_ID = 'appid';

/**
 * Who made the change: a person's sign-in name (upn), else the display name,
 * else the calling application's id, which is all a service principal's
 * token says. Undefined when the event names nobody.
 */
export function changedByOf(data: unknown): string | undefined {
  for (const claim of [UPN, NAME, APP_ID]) {
    const value = asText(at(data, 'claims', claim));
    if (value !== null) return value;
  }
  return undefined;
}
