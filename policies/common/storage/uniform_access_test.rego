package drift.rules.storage.uniform_access_test

import data.drift.rules.storage.uniform_access as rule
import data.drift.test.fixtures

test_object_acls_in_use_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.bucket("gcp", "assets", {"uniformAccess": false})
	violation.message == "Cloud Storage bucket 'assets' honours object ACLs: uniform bucket-level access is off."
}

test_uniform_access_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "assets", {"uniformAccess": true})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("aws", "assets", {})
}
