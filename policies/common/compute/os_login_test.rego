package drift.rules.compute.os_login_test

import data.drift.rules.compute.os_login as rule
import data.drift.test.fixtures

test_os_login_off_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.gcp_instance("vm-1", {"osLoginEnabled": false})
	violation.message == "VM instance 'vm-1' turns OS Login off (enable-oslogin is false)."
}

test_on_and_inherited_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {"osLoginEnabled": true})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {})
}
