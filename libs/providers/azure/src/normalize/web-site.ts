import type { InventoryContext, ResourceOf } from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { primaryIdentity } from '../decode/identity.js';
import { asBoolean, asObject, asText } from '../decode/json.js';
import { T } from '../types.js';

/**
 * A web or function app (kind "app", "functionapp", "functionapp,linux", …). The
 * site GET embeds a partial siteConfig: fields it leaves null (often minTlsVersion)
 * are only in the sites/config/web resource, so they stay unknown here.
 * linuxFxVersion is "" on Windows apps, where netFrameworkVersion names the stack.
 * https://learn.microsoft.com/en-us/rest/api/appservice/web-apps/get#site
 * https://learn.microsoft.com/en-us/rest/api/appservice/web-apps/get-configuration#siteconfigresource
 */
export function normalizeWebSite(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'serverless.function'> {
  const p = arm.properties;
  const siteConfig = asObject(p['siteConfig']);
  return armResource(arm, context, 'serverless.function', T.webSite, {
    runtime: asText(siteConfig?.['linuxFxVersion']) ?? asText(siteConfig?.['netFrameworkVersion']),
    identity: primaryIdentity(arm.native['identity']),
    policy: null,
    iamBindings: null,
    httpsOnly: asBoolean(p['httpsOnly']),
    // "1.0" | "1.1" | "1.2" | "1.3" as App Service writes it.
    minimumTlsVersion: asText(siteConfig?.['minTlsVersion']),
  });
}
