package drift.rules.database.unencrypted_storage_test

import data.drift.rules.database.unencrypted_storage as rule
import data.drift.test.fixtures

test_unencrypted_rds_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.database("aws", "orders", {"storageEncrypted": false})
	violation.message == "RDS instance 'orders' stores data unencrypted at rest."
}

test_encrypted_or_unreported_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {"storageEncrypted": true})
	count(rule.deny) == 0 with input.resource as fixtures.database("azure", "sql", {})
}
