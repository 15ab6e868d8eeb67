# METADATA
# title: Key rotation is off
# description: |
#   A customer-managed key is never rotated automatically. AWS: rotation
#   disabled (AWS-managed keys rotate by themselves). GCP: a CryptoKey without a
#   rotationPeriod, or one longer than 90 days. Azure: only when a key's rotation
#   policy is reported.
# custom:
#   id: DD-KMS-001
#   severity: MEDIUM
#   kinds: [kms.key]
#   frameworks:
#     cis-aws-3.0: ["3.6"]
#     cis-gcp-3.0: ["1.10"]
#     nist-800-53: ["SC-12"]
#   remediation:
#     aws: Enable automatic rotation (kms enable-key-rotation).
#     gcp: Set a rotation period of 90 days or less (gcloud kms keys update --rotation-period 90d --next-rotation-time …).
#     default: Turn on automatic key rotation.
package drift.rules.kms.rotation

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

max_rotation_days := 90

causes contains text.join([labels.describe(resource), " has automatic rotation turned off."]) if {
	properties.rotationEnabled == false
	not properties.keyManager == "AWS"
}

causes contains text.join([
	labels.describe(resource), " rotates every ", properties.rotationPeriodDays, " days; at most ",
	max_rotation_days, " are allowed.",
]) if {
	properties.rotationEnabled == true
	properties.rotationPeriodDays > max_rotation_days
}

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "kms.key"
	count(causes) > 0
	message := text.join([labels.describe(resource), " is not rotated often enough."])
}
