# METADATA
# title: People can act as every service account of the project
# description: |
#   A user, group or domain holds Service Account User or Service Account
#   Token Creator on the project itself, so they can run code as, or mint
#   tokens for, every service account in it (present and future), and take
#   whatever those accounts may do. Granted on one service account instead,
#   the reach is that account only. Conditional bindings count: CIS GCP 1.6
#   asks for no such project-level grant at all.
#   https://cloud.google.com/iam/docs/service-account-permissions
# custom:
#   id: DD-IAM-005
#   severity: HIGH
#   kinds: [iam.binding]
#   frameworks:
#     cis-gcp-3.0: ["1.6"]
#     nist-800-53: ["AC-6", "AC-2"]
#   remediation:
#     gcp: >-
#       Remove the project-level binding (gcloud projects remove-iam-policy-binding
#       PROJECT --role ROLE --member MEMBER) and grant the role on the service
#       accounts the person needs.
#     default: Grant impersonation on single service accounts, not project-wide.
package drift.rules.iam.service_account_impersonation

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

impersonation_roles := {"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"}

# People, not workloads: service accounts acting as others are left to the
# roles they run with.
people_prefixes := ["user:", "group:", "domain:"]

person(member) if startswith(member, people_prefixes[_])

grants contains text.join([member, " has ", binding.role]) if {
	some binding in resource.properties.bindings
	binding.role in impersonation_roles
	some member in binding.members
	person(member)
}

deny contains {"message": message, "details": {"grants": sort(grants)}} if {
	resource.kind == "iam.binding"
	resource.nativeType == "cloudresourcemanager.googleapis.com/Project"
	count(grants) > 0
	message := text.join([
		labels.describe(resource), " lets people act as every service account in it: ",
		concat("; ", sort(grants)), ".",
	])
}
