package drift.rules.database.tls_not_required_test

import data.drift.rules.database.tls_not_required as rule
import data.drift.test.fixtures

test_unencrypted_connections_allowed_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.database("gcp", "orders", {"tlsRequired": false})
	violation.message == "Cloud SQL instance 'orders' accepts connections without TLS."
}

test_tls_required_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.database("gcp", "orders", {"tlsRequired": true})
	count(rule.deny) == 0 with input.resource as fixtures.database("azure", "sql", {"tlsRequired": true})
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {})
}
