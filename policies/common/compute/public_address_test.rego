package drift.rules.compute.public_address_test

import data.drift.rules.compute.public_address as rule
import data.drift.test.fixtures

test_instance_with_external_address_is_flagged if {
	resource := fixtures.gcp_instance("web-1", {"publicIps": ["34.120.1.7"]})
	some violation in rule.deny with input.resource as resource
	violation.message == "VM instance 'web-1' has the public address(es) 34.120.1.7."
}

test_aws_instance_with_public_ip_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.instance("web", {"publicIps": ["54.1.2.3"]})
}

test_private_unknown_and_gke_nodes_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("web-1", {"publicIps": []})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("web-1", {})
	gke := fixtures.gcp_instance("gke-pool-1-abcd", {"publicIps": ["34.120.1.8"]})
	count(rule.deny) == 0 with input.resource as gke
}
