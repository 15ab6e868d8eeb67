# METADATA
# title: Database accepts unencrypted connections
# description: |
#   Clients may connect to the database without TLS, so credentials and data
#   can cross the network in clear text: GCP ipConfiguration.sslMode
#   ALLOW_UNENCRYPTED_AND_ENCRYPTED (or requireSsl false). Azure SQL enforces
#   TLS on every connection: never a violation there. AWS keeps rds.force_ssl
#   in the parameter group, which the inventory does not hold: unknown.
# custom:
#   id: DD-DB-003
#   severity: HIGH
#   kinds: [database.instance]
#   frameworks:
#     cis-gcp-3.0: ["6.4"]
#     nist-800-53: ["SC-8", "SC-8(1)"]
#   remediation:
#     gcp: Require encrypted connections (gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY).
#     default: Require TLS on every connection to the database.
package drift.rules.database.tls_not_required

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"tlsRequired": false}} if {
	resource.kind == "database.instance"
	resource.properties.tlsRequired == false
	message := text.join([labels.describe(resource), " accepts connections without TLS."])
}
