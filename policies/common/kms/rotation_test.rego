package drift.rules.kms.rotation_test

import data.drift.rules.kms.rotation as rule
import data.drift.test.fixtures

test_aws_customer_key_without_rotation_is_flagged if {
	key := fixtures.kms_key("aws", "app", {"rotationEnabled": false, "keyManager": "CUSTOMER"})
	some violation in rule.deny with input.resource as key
	violation.details.causes == ["KMS key 'app' has automatic rotation turned off."]
}

test_aws_managed_key_and_unknown_rotation_are_not_flagged if {
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("aws", "aws/s3", {"rotationEnabled": false, "keyManager": "AWS"})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("aws", "k", {})
}

test_gcp_key_without_rotation_period_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.kms_key("gcp", "k", {"rotationEnabled": false})
}

test_gcp_rotation_longer_than_90_days_is_flagged if {
	key := fixtures.kms_key("gcp", "k", {"rotationEnabled": true, "rotationPeriodDays": 365})
	some violation in rule.deny with input.resource as key
	violation.details.causes == ["Cloud KMS key 'k' rotates every 365 days; at most 90 are allowed."]
}

test_gcp_rotation_within_90_days_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("gcp", "k", {"rotationEnabled": true, "rotationPeriodDays": 90})
}
