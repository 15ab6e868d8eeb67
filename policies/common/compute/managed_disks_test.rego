package drift.rules.compute.managed_disks_test

import data.drift.rules.compute.managed_disks as rule
import data.drift.test.fixtures

azure_vm(properties) := object.union(
	fixtures.instance("vm-app", properties),
	{"provider": "azure", "nativeType": "Microsoft.Compute/virtualMachines"},
)

test_unmanaged_disk_is_flagged if {
	some violation in rule.deny with input.resource as azure_vm({"managedDisks": false})
	violation.message == "Virtual machine 'vm-app' keeps a disk as a VHD blob in a storage account, not as a managed disk."
}

test_managed_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as azure_vm({"managedDisks": true})
	count(rule.deny) == 0 with input.resource as azure_vm({})
}
