# METADATA
# title: Storage public-access guardrail is off
# description: |
#   The provider's guardrail against public storage access is not fully on, so a
#   single ACL, policy or IAM change can expose data. AWS: all four S3 Block
#   Public Access settings true at bucket level, or at account level when the
#   inventory reports the account's settings. Azure: the storage account's
#   allowBlobPublicAccess is false. GCP: the bucket's publicAccessPrevention is
#   "enforced", or an ancestor enforces constraints/storage.publicAccessPrevention.
# custom:
#   id: DD-STORAGE-001
#   severity: HIGH
#   kinds: [storage.bucket]
#   frameworks:
#     cis-aws-3.0: ["2.1.4"]
#     cis-azure-3.0: ["4.17"]
#     cis-gcp-3.0: ["5.1"]
#     nist-800-53: ["AC-3", "AC-21"]
#   remediation:
#     aws: >-
#       Turn on all four S3 Block Public Access settings for the bucket
#       (s3api put-public-access-block), or for the whole account.
#     azure: Set allowBlobPublicAccess to false on the storage account (az storage account update --allow-blob-public-access false).
#     gcp: Enforce public access prevention on the bucket (gcloud storage buckets update --public-access-prevention).
#     default: Turn on the provider's public-access prevention for this storage.
package drift.rules.storage.public_access_guardrail

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

# The four S3 Block Public Access settings, in the order AWS documents them, with
# what a false value allows.
# https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
settings := [
	{"field": "blockPublicAcls", "name": "BlockPublicAcls", "allows": "allows public ACLs"},
	{"field": "ignorePublicAcls", "name": "IgnorePublicAcls", "allows": "does not ignore public ACLs"},
	{"field": "blockPublicPolicy", "name": "BlockPublicPolicy", "allows": "allows public policies"},
	{
		"field": "restrictPublicBuckets", "name": "RestrictPublicBuckets",
		"allows": "does not restrict public buckets",
	},
]

resource := input.resource

# A setting is off when the bucket reports it false and the account does not
# switch it on. Unknown (null) at bucket level decides nothing.
off(setting) if {
	resource.properties.publicAccessBlock[setting.field] == false
	not account_on(setting)
}

account_on(setting) if resource.properties.accountPublicAccessBlock[setting.field] == true

causes := [text.join([labels.describe(resource), " ", s.allows, ". ", s.name, " must be true."]) |
	some s in settings
	off(s)
]

deny contains {"message": message, "details": details} if {
	resource.kind == "storage.bucket"
	resource.provider == "aws"
	count(causes) > 0
	message := text.join([labels.describe(resource), ": ", count(causes), " of 4 Block Public Access settings are off."])
	details := {
		"causes": causes,
		"settings": {s.name: resource.properties.publicAccessBlock[s.field] | some s in settings},
	}
}

deny contains {"message": message, "details": {"causes": [message], "allowBlobPublicAccess": true}} if {
	resource.kind == "storage.bucket"
	resource.provider == "azure"
	resource.properties.containerPublicAccess == null
	resource.properties.allowBlobPublicAccess == true
	message := text.join([labels.describe(resource), " allows anonymous public access to blobs. allowBlobPublicAccess must be false."])
}

deny contains {"message": message, "details": details} if {
	resource.kind == "storage.bucket"
	resource.provider == "gcp"
	prevention := resource.properties.publicAccessPrevention
	is_string(prevention)
	prevention != "enforced"
	not resource.properties.publicAccessPreventionPolicy == true
	message := text.join([
		labels.describe(resource), " does not enforce public access prevention (publicAccessPrevention is '",
		prevention, "'). It must be 'enforced'.",
	])
	details := {"causes": [message], "publicAccessPrevention": prevention}
}
