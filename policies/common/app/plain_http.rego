# METADATA
# title: App accepts plain HTTP
# description: |
#   The app or function answers on plain HTTP, so requests, cookies and
#   tokens can cross the network unencrypted. Azure App Service: httpsOnly
#   false. GCP Cloud Functions (1st gen): httpsTrigger.securityLevel
#   SECURE_OPTIONAL (the default when unset). AWS Lambda URLs are HTTPS only.
# custom:
#   id: DD-APP-001
#   severity: MEDIUM
#   kinds: [serverless.function]
#   frameworks:
#     cis-azure-3.0: ["9.1"]
#     nist-800-53: ["SC-8", "SC-8(1)"]
#   remediation:
#     azure: Turn on HTTPS Only (az webapp update --https-only true).
#     gcp: Redeploy the function with --security-level=secure-always, or move it to the 2nd gen (HTTPS only).
#     default: Redirect or refuse plain HTTP.
package drift.rules.app.plain_http

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"httpsOnly": false}} if {
	resource.kind == "serverless.function"
	resource.properties.httpsOnly == false
	message := text.join([labels.describe(resource), " accepts plain HTTP."])
}
