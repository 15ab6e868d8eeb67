package drift.rules.storage.public_network_access_test

import data.drift.rules.storage.public_network_access as rule
import data.drift.test.fixtures

test_public_network_access_enabled_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.bucket("azure", "ddstor", {"publicNetworkAccess": true})
	violation.message == "Storage account 'ddstor' accepts connections from public networks."
}

test_disabled_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {"publicNetworkAccess": false})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {})
}
