package drift.main_test

import data.drift.dispatch
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

# The catalog ids are a public contract: users write waivers and dashboards against them.
test_rule_ids_lists_the_whole_catalog if {
	main.rule_ids == {
		"DD-STORAGE-001", "DD-STORAGE-002", "DD-STORAGE-003", "DD-STORAGE-004", "DD-STORAGE-005",
		"DD-NET-001", "DD-NET-002", "DD-IAM-001", "DD-IAM-002", "DD-DB-001", "DD-DB-002",
		"DD-KMS-001", "DD-LOG-001", "DD-LOG-002", "DD-COMPUTE-001", "DD-COMPUTE-002",
		"DD-COMPUTE-003", "DD-COMPUTE-004", "DD-COMPUTE-005", "DD-DB-004",
		"DD-KMS-002", "DD-KMS-003", "DD-STORAGE-006",
		"DD-COMPUTE-006", "DD-COMPUTE-007", "DD-DB-005", "DD-DB-003",
		"DD-LOG-003", "DD-DB-006", "DD-NET-003", "DD-COMPUTE-008", "DD-IAM-003", "DD-IAM-004",
		"DD-STORAGE-007", "DD-COMPUTE-009", "DD-APP-001", "DD-APP-002",
		"DD-STORAGE-008", "DD-STORAGE-009", "DD-IAM-005", "DD-IAM-006", "DD-NET-004", "DD-COMPUTE-010",
	}
}

# drift.dispatch runs a rule only for the kinds listed in its metadata. That it
# finds what walking every rule finds, on every native case of the catalog, is
# checked in the engine's tests (libs/policy-engine): there the bundle holds no
# test packages, which drift.main would otherwise evaluate in full per call.
test_dispatch_finds_the_violations_of_its_kind if {
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked})
	ids := {v.rule_id | some v in dispatch.violations} with input.resource as bucket
	ids == {"DD-STORAGE-001"}
}

test_dispatch_judges_a_kind_no_rule_lists_compliant if {
	bucket := fixtures.s3_bucket("b", {"publicAccessBlock": fixtures.none_blocked})
	count(dispatch.violations) == 0 with input.resource as object.union(bucket, {"kind": "storage.queue"})
}
