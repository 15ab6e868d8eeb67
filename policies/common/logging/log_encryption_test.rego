package drift.rules.logging.log_encryption_test

import data.drift.rules.logging.log_encryption as rule
import data.drift.test.fixtures

test_logs_without_kms_key_are_flagged if {
	some violation in rule.deny with input.resource as fixtures.trail("audit", {"kmsEncrypted": false})
	violation.message == "CloudTrail trail 'audit' does not encrypt its log files with a KMS key."
}

test_kms_encrypted_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.trail("audit", {"kmsEncrypted": true})
	count(rule.deny) == 0 with input.resource as fixtures.trail("audit", {})
}
