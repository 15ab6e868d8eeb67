package drift.rules.storage.default_encryption_test

import data.drift.rules.storage.default_encryption as rule
import data.drift.test.fixtures

# The widely copied rule flags exactly this bucket; ours must not.
test_aes256_encrypted_bucket_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.s3_bucket("sse-s3", {})
}

test_kms_encrypted_bucket_is_compliant if {
	key := "arn:aws:kms:us-east-1:123456789012:key/1"
	bucket := fixtures.s3_bucket("sse-kms", {"encryption": {"atRest": true, "algorithm": "aws:kms", "keyId": key}})
	count(rule.deny) == 0 with input.resource as bucket
}

test_bucket_without_default_encryption_is_flagged if {
	bucket := fixtures.s3_bucket("plain", {"encryption": {"atRest": false, "algorithm": null, "keyId": null}})
	some violation in rule.deny with input.resource as bucket
	violation.message == "S3 bucket 'plain' has no default encryption at rest."
	violation.details.encryption.atRest == false
}

test_unreported_encryption_is_unknown_not_a_violation if {
	bucket := fixtures.s3_bucket("unknown", {"encryption": {"atRest": null, "algorithm": null, "keyId": null}})
	count(rule.deny) == 0 with input.resource as bucket
}

test_rule_id_comes_from_metadata if {
	rule.rule_id == "DD-STORAGE-003"
}

test_azure_blob_encryption_disabled_is_flagged if {
	account := fixtures.bucket("azure", "a", {"encryption": {"atRest": false, "algorithm": null, "keyId": null}})
	some violation in rule.deny with input.resource as account
	violation.message == "Storage account 'a' has no default encryption at rest."
}

test_gcp_bucket_is_always_encrypted if {
	bucket := fixtures.bucket("gcp", "b", {"encryption": {"atRest": true, "algorithm": "GOOGLE_MANAGED", "keyId": null}})
	count(rule.deny) == 0 with input.resource as bucket
}
