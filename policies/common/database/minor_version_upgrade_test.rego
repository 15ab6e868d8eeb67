package drift.rules.database.minor_version_upgrade_test

import data.drift.rules.database.minor_version_upgrade as rule
import data.drift.test.fixtures

test_upgrades_off_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.database("aws", "orders", {"autoMinorVersionUpgrade": false})
	violation.message == "RDS instance 'orders' does not upgrade minor engine versions automatically."
}

test_upgrades_on_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {"autoMinorVersionUpgrade": true})
	count(rule.deny) == 0 with input.resource as fixtures.database("gcp", "orders", {})
}
