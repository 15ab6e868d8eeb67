package drift.rules.app.old_tls_test

import data.drift.rules.app.old_tls as rule
import data.drift.test.fixtures

test_tls_1_0_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.function("azure", "shop", {"minimumTlsVersion": "1.0"})
	violation.message == "App 'shop' accepts TLS 1.0: the minimum should be 1.2."
}

test_tls_1_1_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.function("azure", "shop", {"minimumTlsVersion": "1.1"})
}

test_tls_1_2_1_3_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.function("azure", "shop", {"minimumTlsVersion": "1.2"})
	count(rule.deny) == 0 with input.resource as fixtures.function("azure", "shop", {"minimumTlsVersion": "1.3"})
	count(rule.deny) == 0 with input.resource as fixtures.function("azure", "shop", {})
}
