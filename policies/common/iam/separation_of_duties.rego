# METADATA
# title: One person both administers and uses service accounts or keys
# description: |
#   A user, group or domain holds, on the project, a role that administers
#   service accounts (or Cloud KMS keys) together with one that uses them, so
#   no second person stands between creating an identity or key and acting
#   with it. Service accounts: Service Account Admin with Service Account
#   User. Cloud KMS: Cloud KMS Admin with a CryptoKey Encrypter and/or
#   Decrypter role.
#   https://cloud.google.com/iam/docs/understanding-roles
# custom:
#   id: DD-IAM-006
#   severity: MEDIUM
#   kinds: [iam.binding]
#   frameworks:
#     cis-gcp-3.0: ["1.8", "1.11"]
#     nist-800-53: ["AC-5"]
#   remediation:
#     gcp: Give the administering role and the using role to different people; remove one of the two bindings the finding names.
#     default: Separate administering identities and keys from using them.
package drift.rules.iam.separation_of_duties

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

# Each duty pair: what administers, what uses.
duties := {
	"service accounts": {
		"administers": {"roles/iam.serviceAccountAdmin"},
		"uses": {"roles/iam.serviceAccountUser"},
	},
	"Cloud KMS keys": {
		"administers": {"roles/cloudkms.admin"},
		"uses": {
			"roles/cloudkms.cryptoKeyEncrypterDecrypter",
			"roles/cloudkms.cryptoKeyEncrypter",
			"roles/cloudkms.cryptoKeyDecrypter",
		},
	},
}

people_prefixes := ["user:", "group:", "domain:"]

# Each person's roles on the resource.
roles_of[member] contains binding.role if {
	some binding in resource.properties.bindings
	some member in binding.members
	startswith(member, people_prefixes[_])
}

causes contains text.join([member, " both administers and uses ", what]) if {
	some member, roles in roles_of
	some what, duty in duties
	count(roles & duty.administers) > 0
	count(roles & duty.uses) > 0
}

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "iam.binding"
	resource.nativeType == "cloudresourcemanager.googleapis.com/Project"
	count(causes) > 0
	message := text.join([labels.describe(resource), " does not separate duties: ", concat("; ", sort(causes)), "."])
}
