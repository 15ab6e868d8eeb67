package drift.rules.logging.log_file_validation_test

import data.drift.rules.logging.log_file_validation as rule
import data.drift.test.fixtures

test_trail_without_log_file_validation_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.trail("main", {"logFileValidation": false})
	violation.message == "CloudTrail trail 'main' does not validate its log files: a log changed or deleted after delivery would go unnoticed."
}

test_validated_or_unknown_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.trail("main", {"logFileValidation": true})
	count(rule.deny) == 0 with input.resource as fixtures.trail("main", {"logFileValidation": null})
	count(rule.deny) == 0 with input.resource as fixtures.trail("main", {})
}
