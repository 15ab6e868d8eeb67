package drift.rules.storage.public_access_guardrail_test

import data.drift.rules.storage.public_access_guardrail as rule
import data.drift.test.fixtures

test_all_blocked_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.s3_bucket("locked", {})
}

test_public_bucket_reports_each_setting if {
	bucket := fixtures.s3_bucket("hotfix", {"publicAccessBlock": fixtures.none_blocked})
	some violation in rule.deny with input.resource as bucket
	violation.message == "S3 bucket 'hotfix': 4 of 4 Block Public Access settings are off."
	violation.details.causes == [
		"S3 bucket 'hotfix' allows public ACLs. BlockPublicAcls must be true.",
		"S3 bucket 'hotfix' does not ignore public ACLs. IgnorePublicAcls must be true.",
		"S3 bucket 'hotfix' allows public policies. BlockPublicPolicy must be true.",
		"S3 bucket 'hotfix' does not restrict public buckets. RestrictPublicBuckets must be true.",
	]
}

test_one_setting_off_is_one_violation_with_one_cause if {
	pab := object.union(fixtures.all_blocked, {"restrictPublicBuckets": false})
	violations := rule.deny with input.resource as fixtures.s3_bucket("b", {"publicAccessBlock": pab})
	count(violations) == 1
	some violation in violations
	violation.details.causes == ["S3 bucket 'b' does not restrict public buckets. RestrictPublicBuckets must be true."]
	violation.details.settings.RestrictPublicBuckets == false
}

test_account_level_block_neutralises_bucket_setting if {
	bucket := fixtures.s3_bucket("b", {
		"publicAccessBlock": fixtures.none_blocked,
		"accountPublicAccessBlock": fixtures.all_blocked,
	})
	count(rule.deny) == 0 with input.resource as bucket
}

test_partial_account_block_leaves_other_settings_off if {
	bucket := fixtures.s3_bucket("b", {
		"publicAccessBlock": fixtures.none_blocked,
		"accountPublicAccessBlock": object.union(fixtures.none_blocked, {"blockPublicAcls": true}),
	})
	some violation in rule.deny with input.resource as bucket
	count(violation.details.causes) == 3
}

test_unknown_settings_decide_nothing if {
	count(rule.deny) == 0 with input.resource as fixtures.s3_bucket("b", {"publicAccessBlock": null})
}

test_unknown_single_setting_is_not_a_cause if {
	pab := object.union(fixtures.none_blocked, {"blockPublicAcls": null})
	some violation in rule.deny with input.resource as fixtures.s3_bucket("b", {"publicAccessBlock": pab})
	count(violation.details.causes) == 3
}

test_other_kinds_are_ignored if {
	resource := object.union(fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked}), {"kind": "other"})
	count(rule.deny) == 0 with input.resource as resource
}

test_rule_id_comes_from_metadata if {
	rule.rule_id == "DD-STORAGE-001"
}

test_azure_account_allowing_blob_public_access_is_flagged if {
	account := fixtures.bucket("azure", "acmedata", {"allowBlobPublicAccess": true})
	some violation in rule.deny with input.resource as account
	violation.details.causes == ["Storage account 'acmedata' allows anonymous public access to blobs. allowBlobPublicAccess must be false."]
}

test_azure_account_disallowing_or_unreported_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "a", {"allowBlobPublicAccess": false})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "a", {})
}

test_azure_container_is_judged_by_the_public_read_rule_not_here if {
	count(rule.deny) == 0 with input.resource as fixtures.azure_container("c", "Container", true)
}

test_gcp_bucket_with_inherited_prevention_is_flagged if {
	bucket := fixtures.bucket("gcp", "logs", {"publicAccessPrevention": "inherited"})
	some violation in rule.deny with input.resource as bucket
	violation.message == concat(" ", [
		"Cloud Storage bucket 'logs' does not enforce public access prevention",
		"(publicAccessPrevention is 'inherited'). It must be 'enforced'.",
	])
}

test_gcp_bucket_enforced_or_covered_by_org_policy_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "b", {"publicAccessPrevention": "enforced"})
	covered := fixtures.bucket("gcp", "b", {"publicAccessPrevention": "inherited", "publicAccessPreventionPolicy": true})
	count(rule.deny) == 0 with input.resource as covered
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "b", {})
}
