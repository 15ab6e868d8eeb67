# METADATA
# title: App accepts TLS older than 1.2
# description: |
#   The app lets clients connect with TLS 1.0 or 1.1, whose cipher suites
#   and handshakes are broken or deprecated (RFC 8996). Azure App Service:
#   siteConfig.minTlsVersion "1.0" or "1.1". A site whose embedded siteConfig
#   leaves minTlsVersion null (it is only in sites/config/web) is unknown.
# custom:
#   id: DD-APP-002
#   severity: MEDIUM
#   kinds: [serverless.function]
#   frameworks:
#     cis-azure-3.0: ["9.4"]
#     nist-800-53: ["SC-8", "SC-13"]
#   remediation:
#     azure: Set the minimum TLS version to 1.2 or later (az webapp config set --min-tls-version 1.2).
#     default: Refuse TLS before 1.2.
package drift.rules.app.old_tls

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

old_versions := {"1.0", "1.1"}

deny contains {"message": message, "details": {"minimumTlsVersion": version}} if {
	resource.kind == "serverless.function"
	version := resource.properties.minimumTlsVersion
	version in old_versions
	message := text.join([labels.describe(resource), " accepts TLS ", version, ": the minimum should be 1.2."])
}
