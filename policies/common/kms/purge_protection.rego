# METADATA
# title: Key vault can be purged
# description: |
#   A deleted Azure key vault, or a key or secret deleted from it, can be purged
#   for good before its retention period ends: purge protection is off (a vault
#   body without enablePurgeProtection has it off, since it only ever accepts
#   true), or soft delete is off. Keys encrypting data would then be lost with
#   the data they protect.
# custom:
#   id: DD-KMS-002
#   severity: MEDIUM
#   kinds: [kms.key]
#   frameworks:
#     cis-azure-3.0: ["3.3.5"]
#     nist-800-53: ["CP-9", "SC-12"]
#   remediation:
#     azure: Turn on purge protection (az keyvault update --enable-purge-protection true); it cannot be turned off again.
#     default: Protect keys from immediate, irrecoverable deletion.
package drift.rules.kms.purge_protection

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"purgeProtected": false}} if {
	resource.kind == "kms.key"
	resource.properties.purgeProtected == false
	message := text.join([labels.describe(resource), " can be purged before its retention ends: purge protection is off."])
}
