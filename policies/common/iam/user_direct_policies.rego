# METADATA
# title: IAM user holds policies directly
# description: |
#   An IAM user has managed policies attached or inline policies of its own
#   instead of taking its permissions from groups, so access is granted person
#   by person and is hard to review or take away. The user's item lists both;
#   a user whose attached list is not reported and who has no inline policy
#   is unknown.
# custom:
#   id: DD-IAM-004
#   severity: LOW
#   kinds: [iam.policy]
#   frameworks:
#     cis-aws-3.0: ["1.15"]
#     nist-800-53: ["AC-2", "AC-6"]
#   remediation:
#     aws: Move the user's policies to a group and add the user to it; then detach and delete the user's own policies.
#     default: Grant users permissions through groups.
package drift.rules.iam.user_direct_policies

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

held contains policy.id if some policy in properties.attachedPolicies

held contains statement.source if some statement in properties.statements

deny contains {"message": message, "details": {"policies": sort(held)}} if {
	resource.kind == "iam.policy"
	resource.provider == "aws"
	properties.principalType == "user"
	count(held) > 0
	message := text.join([
		labels.describe(resource), " holds policies of its own instead of through groups: ",
		concat(", ", sort(held)), ".",
	])
}
