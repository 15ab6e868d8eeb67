package drift.rules.compute.serial_port_test

import data.drift.rules.compute.serial_port as rule
import data.drift.test.fixtures

test_serial_port_enabled_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.gcp_instance("vm-1", {"serialPortEnabled": true})
	violation.message == "VM instance 'vm-1' accepts serial console connections (serial-port-enable is true)."
}

test_disabled_and_inherited_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {"serialPortEnabled": false})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {})
}
