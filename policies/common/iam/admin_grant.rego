# METADATA
# title: Full administrative grant
# description: |
#   A principal can do anything. AWS: a policy statement allows "*" on "*"
#   (managed, inline, role or user), or AdministratorAccess is attached; a
#   customer managed policy allowing "*" on "*" is reported on the policy, not
#   again on the roles and users it is attached to (Config's policy item names
#   none of them). Azure: a
#   custom role definition with "*" actions. GCP: roles/owner or roles/editor
#   granted to a service account or to the public.
# custom:
#   id: DD-IAM-001
#   severity: HIGH
#   kinds: [iam.policy, iam.binding]
#   frameworks:
#     cis-aws-3.0: ["1.16"]
#     cis-azure-3.0: ["2.23"]
#     cis-gcp-3.0: ["1.5"]
#     nist-800-53: ["AC-6", "AC-2"]
#   remediation:
#     aws: Replace "*" on "*" with the actions and resources the principal needs; detach AdministratorAccess.
#     azure: Replace "*" in the custom role's actions with the operations it needs.
#     gcp: Grant the service account a predefined or custom role with only the permissions it needs.
#     default: Grant least privilege.
package drift.rules.iam.admin_grant

import data.drift.lib.iam
import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

administrator_policies := {"arn:aws:iam::aws:policy/AdministratorAccess"}

broad_roles := {"roles/owner", "roles/editor"}

causes contains text.join([labels.describe(resource), " allows * on * (", s.source, iam.sid_suffix(s), ")."]) if {
	resource.kind == "iam.policy"
	resource.provider == "aws"
	some s in iam.admin_statements(properties.statements)
}

causes contains text.join([labels.describe(resource), " has ", policy.id, " attached."]) if {
	resource.kind == "iam.policy"
	resource.provider == "aws"
	some policy in properties.attachedPolicies
	policy.id in administrator_policies
}

causes contains text.join([labels.describe(resource), " is a custom role that allows every action (\"*\")."]) if {
	resource.kind == "iam.policy"
	resource.provider == "azure"
	properties.managedBy == "CustomRole"
	some s in properties.statements
	s.effect == "Allow"
	iam.wildcard_action(s)
}

causes contains text.join([labels.describe(resource), " grants ", binding.role, " to ", member, "."]) if {
	resource.kind == "iam.binding"
	resource.provider == "gcp"
	some binding in properties.bindings
	binding.role in broad_roles
	some member in binding.members
	admin_member(member)
}

admin_member(member) if startswith(member, "serviceAccount:")

admin_member(member) if member in iam.public_members

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	count(causes) > 0
	message := text.join([labels.describe(resource), " grants full administrative access."])
}
