# METADATA
# title: Resource shared with the public
# description: |
#   A resource policy or IAM binding lets anyone use the resource. AWS: a
#   resource policy (Lambda, KMS, SNS, SQS…) allows "*" without a restricting
#   condition. GCP: any IAM binding to allUsers or allAuthenticatedUsers.
#   Storage buckets are judged by DD-STORAGE-002 instead.
# custom:
#   id: DD-IAM-002
#   severity: CRITICAL
#   kinds: [iam.binding, kms.key, serverless.function]
#   frameworks:
#     cis-gcp-3.0: ["1.9"]
#     nist-800-53: ["AC-3", "AC-21"]
#   remediation:
#     aws: Add a condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID…) or name the principals instead of "*".
#     gcp: Remove allUsers and allAuthenticatedUsers from the resource's IAM policy.
#     default: Remove the public grant.
package drift.rules.iam.public_resource

import data.drift.lib.iam
import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

causes contains text.join([
	labels.describe(resource), " has a policy statement", iam.sid_suffix(s), " that allows ",
	iam.actions_text(s), " to anyone.",
]) if {
	resource.kind != "storage.bucket"
	some s in iam.public_allows(properties.policy)
}

causes contains text.join([labels.describe(resource), " grants ", grant.role, " to ", grant.member, "."]) if {
	resource.kind != "storage.bucket"
	some grant in iam.public_bindings(bindings)
}

bindings := properties.bindings if resource.kind == "iam.binding"

bindings := properties.iamBindings if resource.kind != "iam.binding"

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	count(causes) > 0
	message := text.join([labels.describe(resource), " is shared with the public."])
}
