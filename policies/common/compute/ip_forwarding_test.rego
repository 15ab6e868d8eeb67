package drift.rules.compute.ip_forwarding_test

import data.drift.rules.compute.ip_forwarding as rule
import data.drift.test.fixtures

test_gcp_can_ip_forward_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.gcp_instance("router-1", {"ipForwarding": true})
	violation.message == "VM instance 'router-1' forwards IP traffic that is neither from nor to it (canIpForward is true)."
}

test_aws_source_dest_check_off_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.instance("i-1", {"ipForwarding": true})
	violation.details.setting == "sourceDestCheck is false"
}

test_no_forwarding_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {"ipForwarding": false})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {})
}
