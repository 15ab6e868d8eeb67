package drift.rules.network.private_endpoint_test

import data.drift.rules.network.private_endpoint as rule
import data.drift.test.fixtures

test_account_without_private_endpoint_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.bucket("azure", "ddstor", {"privateEndpoint": false})
	violation.message == "Storage account 'ddstor' has no approved private endpoint."
}

test_vault_without_private_endpoint_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.kms_key("azure", "kv-app", {"privateEndpoint": false})
}

test_private_endpoint_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {"privateEndpoint": true})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("azure", "kv-app", {"privateEndpoint": true})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("aws", "key", {})
}
