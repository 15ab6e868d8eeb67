# METADATA
# title: Instance runs without a role
# description: |
#   The EC2 instance has no instance profile, so software on it that calls
#   AWS must carry long-lived access keys instead of the short-lived
#   credentials a role hands out. AWS only: a GCE instance without a service
#   account simply cannot call Google APIs as itself, and CIS GCP asks for no
#   account there.
# custom:
#   id: DD-COMPUTE-008
#   severity: LOW
#   kinds: [compute.instance]
#   frameworks:
#     cis-aws-3.0: ["1.18"]
#     nist-800-53: ["IA-5", "AC-6"]
#   remediation:
#     aws: Attach an instance profile with a role that grants what the instance needs (ec2 associate-iam-instance-profile).
#     default: Give the instance an identity of its own instead of stored keys.
package drift.rules.compute.instance_role

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"identities": []}} if {
	resource.kind == "compute.instance"
	resource.provider == "aws"
	resource.properties.identities == []
	message := text.join([labels.describe(resource), " has no instance profile: software on it needs stored keys to call AWS."])
}
