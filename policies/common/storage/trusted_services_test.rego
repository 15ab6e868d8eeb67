package drift.rules.storage.trusted_services_test

import data.drift.rules.storage.trusted_services as rule
import data.drift.test.fixtures

test_no_trusted_services_bypass_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.bucket("azure", "ddstor", {"trustedServicesBypass": false})
	violation.message == "Storage account 'ddstor' does not let trusted Azure services past its network rules."
}

test_bypass_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {"trustedServicesBypass": true})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "assets", {})
}
