package drift.main_test

import data.drift.main
import data.drift.test.fixtures

test_violations_carry_rule_ids_from_every_rule if {
	bucket := fixtures.s3_bucket("b", {
		"publicAccessBlock": fixtures.none_blocked,
		"encryption": {"atRest": false, "algorithm": null, "keyId": null},
	})
	ids := {v.rule_id | some v in main.violations} with input.resource as bucket
	ids == {"DD-STORAGE-001", "DD-STORAGE-003"}
}

test_compliant_resource_has_no_violations if {
	count(main.violations) == 0 with input.resource as fixtures.s3_bucket("b", {})
}

test_rule_ids_lists_every_rule_package if {
	{"DD-STORAGE-001", "DD-STORAGE-003"} == main.rule_ids
}
