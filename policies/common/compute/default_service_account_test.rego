package drift.rules.compute.default_service_account_test

import data.drift.rules.compute.default_service_account as rule
import data.drift.test.fixtures

default_account := "847203951166-compute@developer.gserviceaccount.com"

test_default_compute_service_account_is_flagged if {
	vm := fixtures.gcp_instance("app-1", {"identities": [default_account]})
	some violation in rule.deny with input.resource as vm
	violation.message == concat("", ["VM instance 'app-1' runs as the default compute service account ", default_account, "."])
}

test_own_account_none_unknown_and_gke_nodes_are_compliant if {
	own := fixtures.gcp_instance("app-1", {"identities": ["app@dd-fixtures-prod.iam.gserviceaccount.com"]})
	count(rule.deny) == 0 with input.resource as own
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("app-1", {"identities": []})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("app-1", {})
	gke := fixtures.gcp_instance("gke-pool-1-abcd", {"identities": [default_account]})
	count(rule.deny) == 0 with input.resource as gke
}
