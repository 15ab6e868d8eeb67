# METADATA
# title: Audit trail off or partial
# description: |
#   The audit trail is not recording, or records only one region: AWS
#   CloudTrail not logging or not multi-region (logging status is not in AWS
#   Config items, so it counts only when reported).
# custom:
#   id: DD-LOG-001
#   severity: HIGH
#   kinds: [audit.trail]
#   frameworks:
#     cis-aws-3.0: ["3.1"]
#     nist-800-53: ["AU-2", "AU-12"]
#   remediation:
#     aws: Make the trail multi-region and start logging (cloudtrail update-trail --is-multi-region-trail; cloudtrail start-logging).
#     default: Turn on audit logging for every region.
package drift.rules.logging.audit_trail

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

causes contains text.join([labels.describe(resource), " is not logging."]) if {
	resource.properties.logging == false
}

causes contains text.join([labels.describe(resource), " records only its home region; it must be multi-region."]) if {
	resource.properties.multiRegion == false
}

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "audit.trail"
	count(causes) > 0
	message := text.join([labels.describe(resource), " leaves activity unrecorded."])
}
