package drift.rules.kms.vault_rbac_test

import data.drift.rules.kms.vault_rbac as rule
import data.drift.test.fixtures

test_access_policy_vault_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.kms_key("azure", "kv-app", {"rbacAuthorization": false})
	violation.message == "Key vault 'kv-app' authorizes data access with vault access policies, not Azure RBAC."
}

test_rbac_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("azure", "kv-app", {"rbacAuthorization": true})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("gcp", "k", {})
}
