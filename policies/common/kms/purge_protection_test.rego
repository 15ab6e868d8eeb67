package drift.rules.kms.purge_protection_test

import data.drift.rules.kms.purge_protection as rule
import data.drift.test.fixtures

test_vault_without_purge_protection_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.kms_key("azure", "kv-app", {"purgeProtected": false})
	violation.message == "Key vault 'kv-app' can be purged before its retention ends: purge protection is off."
}

test_protected_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("azure", "kv-app", {"purgeProtected": true})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("aws", "k", {})
}
