package drift.rules.storage.cross_tenant_replication_test

import data.drift.rules.storage.cross_tenant_replication as rule
import data.drift.test.fixtures

test_cross_tenant_replication_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.bucket("azure", "ddstor", {"crossTenantReplication": true})
	violation.message == "Storage account 'ddstor' allows object replication to other tenants."
}

test_disallowed_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {"crossTenantReplication": false})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "ddstor", {})
}
