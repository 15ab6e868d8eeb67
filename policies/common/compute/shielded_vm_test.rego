package drift.rules.compute.shielded_vm_test

import data.drift.rules.compute.shielded_vm as rule
import data.drift.test.fixtures

shielded(secure_boot, vtpm, integrity) := {"shieldedVm": {"secureBoot": secure_boot, "vtpm": vtpm, "integrityMonitoring": integrity}}

test_vtpm_and_integrity_monitoring_off_are_named if {
	violations := rule.deny with input.resource as fixtures.gcp_instance("vm-1", shielded(true, false, false))
	[v.message | some v in violations] == ["VM instance 'vm-1' runs with Shielded VM integrity monitoring and vTPM off."]
}

test_integrity_monitoring_off_alone_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.gcp_instance("vm-1", shielded(true, true, false))
}

test_protections_on_secure_boot_off_or_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", shielded(false, true, true))
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", shielded(null, null, null))
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {})
}

test_azure_vm_without_trusted_launch_vtpm_is_flagged if {
	vm := object.union(
		fixtures.instance("vm-app", shielded(false, false, null)),
		{"provider": "azure", "nativeType": "Microsoft.Compute/virtualMachines"},
	)
	violations := rule.deny with input.resource as vm
	[v.message | some v in violations] == ["Virtual machine 'vm-app' runs with trusted launch vTPM off."]
}
