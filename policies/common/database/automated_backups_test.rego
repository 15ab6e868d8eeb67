package drift.rules.database.automated_backups_test

import data.drift.rules.database.automated_backups as rule
import data.drift.test.fixtures

test_gcp_backups_off_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.database("gcp", "orders", {"automatedBackups": false})
	violation.message == "Cloud SQL instance 'orders' takes no automated backups."
}

test_aws_backups_off_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.database("aws", "orders", {"automatedBackups": false})
}

test_backups_on_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.database("gcp", "orders", {"automatedBackups": true})
	count(rule.deny) == 0 with input.resource as fixtures.database("azure", "sql", {})
}
