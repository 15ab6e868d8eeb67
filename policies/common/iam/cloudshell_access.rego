# METADATA
# title: CloudShell full access granted
# description: |
#   AWSCloudShellFullAccess is attached to a role, user or group. It lets the
#   principal upload and download files in CloudShell and reach the internet
#   from it, a path to move data out of the account that no network control
#   sees.
#   https://docs.aws.amazon.com/cloudshell/latest/userguide/sec-auth-with-identities.html
# custom:
#   id: DD-IAM-003
#   severity: MEDIUM
#   kinds: [iam.policy]
#   frameworks:
#     cis-aws-3.0: ["1.22"]
#     nist-800-53: ["AC-6", "SC-7"]
#   remediation:
#     aws: Detach AWSCloudShellFullAccess; grant a scoped CloudShell policy without file transfer where CloudShell is needed.
#     default: Do not grant full CloudShell access.
package drift.rules.iam.cloudshell_access

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

cloudshell_full_access := "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"

deny contains {"message": message, "details": {"attachedPolicy": cloudshell_full_access}} if {
	resource.kind == "iam.policy"
	resource.provider == "aws"
	some policy in resource.properties.attachedPolicies
	policy.id == cloudshell_full_access
	message := text.join([labels.describe(resource), " has AWSCloudShellFullAccess attached."])
}
