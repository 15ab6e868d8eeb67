package drift.rules.storage.public_read_write_test

import data.drift.rules.storage.public_read_write as rule
import data.drift.test.fixtures

public_read := {"grantee": "AllUsers", "permission": "Read"}

test_aws_acl_grant_to_all_users_is_flagged if {
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "aclGrants": [public_read]})
	some violation in rule.deny with input.resource as bucket
	violation.details.causes == ["S3 bucket 'b' grants Read to AllUsers through its ACL."]
}

test_aws_acl_grant_neutralised_by_ignore_public_acls if {
	bucket := fixtures.s3_bucket("b", {"aclGrants": [public_read]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_acl_grant_neutralised_at_account_level if {
	bucket := fixtures.s3_bucket("b", {
		"publicAccessBlock": fixtures.none_blocked,
		"accountPublicAccessBlock": fixtures.all_blocked,
		"aclGrants": [public_read],
	})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_owner_grant_is_not_public if {
	owner := {"grantee": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "permission": "FullControl"}
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "aclGrants": [owner]})
	count(rule.deny) == 0 with input.resource as bucket
}

public_statement := fixtures.statement({
	"source": "bucketPolicy", "sid": "PublicRead",
	"principals": [{"type": "*", "id": "*"}], "resources": ["arn:aws:s3:::b/*"],
})

test_aws_policy_allowing_everyone_is_flagged if {
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [public_statement]})
	some violation in rule.deny with input.resource as bucket
	violation.details.causes == ["S3 bucket 'b' has a bucket policy statement 'PublicRead' that allows s3:GetObject to anyone."]
}

test_aws_policy_restricted_by_source_vpce_is_not_public if {
	restricted := object.union(public_statement, {"conditions": {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}}})
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [restricted]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_condition_with_wildcard_value_still_public if {
	wide := object.union(public_statement, {"conditions": {"StringLike": {"aws:SourceArn": ["*"]}}})
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [wide]})
	count(rule.deny) == 1 with input.resource as bucket
}

# One value that is not fixed among fixed ones leaves the statement public.
widened_by(value) := fixtures.s3_bucket("b", {
	"publicAccessBlock": fixtures.none_blocked,
	"policy": [object.union(public_statement, {"conditions": {"StringLike": {"aws:SourceVpce": ["vpce-1a2b3c4d", value]}}})],
})

test_aws_condition_with_a_wildcard_in_its_value_still_public if {
	count(rule.deny) == 1 with input.resource as widened_by("vpce-*")
}

test_aws_condition_with_a_single_character_wildcard_still_public if {
	count(rule.deny) == 1 with input.resource as widened_by("vpce-0a1b2c3d4e5f6071?")
}

test_aws_condition_with_a_policy_variable_still_public if {
	count(rule.deny) == 1 with input.resource as widened_by("${aws:SourceVpce}")
}

test_aws_string_like_with_a_fixed_value_is_not_public if {
	pinned := object.union(public_statement, {"conditions": {"StringLike": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}}})
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [pinned]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_condition_with_an_account_written_as_a_number_is_not_public if {
	pinned := object.union(public_statement, {"conditions": {"StringEquals": {"aws:SourceAccount": [123456789012]}}})
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [pinned]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_public_policy_neutralised_by_restrict_public_buckets if {
	bucket := fixtures.s3_bucket("b", {"policy": [public_statement]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_aws_deny_statement_to_everyone_is_not_a_grant if {
	deny_all := object.union(public_statement, {"effect": "Deny"})
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked, "policy": [deny_all]})
	count(rule.deny) == 0 with input.resource as bucket
}

test_azure_public_container_on_allowing_account_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.azure_container("images", "Container", true)
	violation.details.causes == [concat(" ", [
		"Blob container 'images' allows anonymous container list and blob read access",
		"(publicAccess 'Container') and its account allows public blob access.",
	])]
}

test_azure_public_container_on_locked_account_or_private_container_is_not_flagged if {
	count(rule.deny) == 0 with input.resource as fixtures.azure_container("images", "Blob", false)
	count(rule.deny) == 0 with input.resource as fixtures.azure_container("images", "None", true)
}

# Azure documents that an unset allowBlobPublicAccess permits anonymous access.
test_azure_public_container_on_account_with_unset_setting_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.azure_container("images", "Blob", null)
}

test_gcp_bucket_iam_binding_to_all_users_is_flagged if {
	bindings := [{"role": "roles/storage.objectViewer", "members": ["allUsers", "user:a@example.com"], "condition": null}]
	bucket := fixtures.bucket("gcp", "site", {"iamBindings": bindings})
	some violation in rule.deny with input.resource as bucket
	violation.details.causes == ["Cloud Storage bucket 'site' grants roles/storage.objectViewer to allUsers."]
}

test_gcp_bucket_private_bindings_are_compliant if {
	bindings := [{"role": "roles/storage.admin", "members": ["group:ops@example.com"], "condition": null}]
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "b", {"iamBindings": bindings})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "b", {})
}

public_bindings := [{"role": "roles/storage.objectViewer", "members": ["allUsers", "allAuthenticatedUsers"], "condition": null}]

test_gcp_public_access_prevention_on_the_bucket_neutralises_public_bindings if {
	bucket := fixtures.bucket("gcp", "b", {"iamBindings": public_bindings, "publicAccessPrevention": "enforced"})
	count(rule.deny) == 0 with input.resource as bucket
}

test_gcp_public_access_prevention_from_an_ancestor_neutralises_public_bindings if {
	bucket := fixtures.bucket("gcp", "b", {
		"iamBindings": public_bindings, "publicAccessPrevention": "inherited",
		"publicAccessPreventionPolicy": true,
	})
	count(rule.deny) == 0 with input.resource as bucket
}

test_gcp_public_access_prevention_inherited_unenforced_or_unknown_leaves_bindings_public if {
	every prevention in ["inherited", "unspecified", null] {
		every policy in [false, null] {
			bucket := fixtures.bucket("gcp", "b", {
				"iamBindings": public_bindings, "publicAccessPrevention": prevention,
				"publicAccessPreventionPolicy": policy,
			})
			some violation in rule.deny with input.resource as bucket
			count(violation.details.causes) == 2
		}
	}
}
