# METADATA
# title: Storage readable or writable by anyone
# description: |
#   Anyone on the internet can read or write the storage. AWS: an ACL grant to
#   AllUsers or AuthenticatedUsers (unless IgnorePublicAcls neutralises it), or a
#   bucket policy that allows "*" without a restricting condition (unless
#   RestrictPublicBuckets neutralises it). Azure: a blob container with public
#   access Blob or Container on an account that does not disallow public blob
#   access (unset counts as allowed, as Azure documents). GCP:
#   an IAM binding on the bucket to allUsers or allAuthenticatedUsers, unless
#   public access prevention is enforced on the bucket or by an ancestor's
#   constraints/storage.publicAccessPrevention.
# custom:
#   id: DD-STORAGE-002
#   severity: CRITICAL
#   kinds: [storage.bucket]
#   frameworks:
#     cis-aws-3.0: ["2.1.4"]
#     cis-azure-3.0: ["4.17"]
#     cis-gcp-3.0: ["5.1"]
#     nist-800-53: ["AC-3", "AC-6", "AC-21"]
#   remediation:
#     aws: Remove the public ACL grants and policy statements, and turn on S3 Block Public Access.
#     azure: Set the container's public access level to Private (None) and disallow blob public access on the account.
#     gcp: Remove allUsers and allAuthenticatedUsers from the bucket's IAM policy.
#     default: Remove the public grants.
package drift.rules.storage.public_read_write

import data.drift.lib.iam
import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

public_grantees := {"AllUsers", "AuthenticatedUsers"}

# Effective S3 Block Public Access setting: on at bucket or account level.
blocked(setting) if properties.publicAccessBlock[setting] == true

blocked(setting) if properties.accountPublicAccessBlock[setting] == true

aws_causes contains text.join([labels.describe(resource), " grants ", grant.permission, " to ", grant.grantee, " through its ACL."]) if {
	resource.provider == "aws"
	not blocked("ignorePublicAcls")
	some grant in properties.aclGrants
	grant.grantee in public_grantees
}

aws_causes contains text.join([
	labels.describe(resource), " has a bucket policy statement", iam.sid_suffix(s), " that allows ",
	iam.actions_text(s), " to anyone.",
]) if {
	resource.provider == "aws"
	not blocked("restrictPublicBuckets")
	some s in iam.public_allows(properties.policy)
}

# An account permits anonymous access when allowBlobPublicAccess is true or not
# set at all (null): "The storage account permits anonymous access when the
# property value is either null or true."
# https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent
azure_causes contains message if {
	resource.provider == "azure"
	not properties.allowBlobPublicAccess == false
	some level, access in level_text
	properties.containerPublicAccess == level
	message := text.join([
		labels.describe(resource), " allows anonymous ", access, " access (publicAccess '", level,
		"') and its account allows public blob access.",
	])
}

level_text := {"Blob": "blob read", "Container": "container list and blob read"}

# Public access prevention, on the bucket or from an ancestor's organization
# policy, revokes what allUsers and allAuthenticatedUsers were granted: the
# bindings stay in the IAM policy but every request they would allow fails.
# https://cloud.google.com/storage/docs/public-access-prevention
# Unknown (null) prevention neutralises nothing.
public_access_prevented if properties.publicAccessPrevention == "enforced"

public_access_prevented if properties.publicAccessPreventionPolicy == true

gcp_causes contains text.join([labels.describe(resource), " grants ", grant.role, " to ", grant.member, "."]) if {
	resource.provider == "gcp"
	not public_access_prevented
	some grant in iam.public_bindings(properties.iamBindings)
}

causes := (aws_causes | azure_causes) | gcp_causes

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "storage.bucket"
	count(causes) > 0
	message := text.join([labels.describe(resource), " is readable or writable by anyone: ", count(causes), " public grant(s)."])
}
