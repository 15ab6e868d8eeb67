# METADATA
# title: Virtual machine uses unmanaged disks
# description: |
#   A disk of the VM is a VHD page blob in a storage account rather than a
#   managed disk, so it is only as safe as that account's keys, network rules
#   and encryption, and it takes none of the managed disks' protections
#   (Azure RBAC per disk, disk encryption sets, snapshots). Azure retires
#   unmanaged disks on 30 September 2025.
#   https://learn.microsoft.com/en-us/azure/virtual-machines/unmanaged-disks-deprecation
# custom:
#   id: DD-COMPUTE-010
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-azure-3.0: ["8.2"]
#     nist-800-53: ["SC-28", "CP-9"]
#   remediation:
#     azure: Convert the VM to managed disks (az vm deallocate, then az vm convert).
#     default: Move the instance's disks to managed disks.
package drift.rules.compute.managed_disks

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"managedDisks": false}} if {
	resource.kind == "compute.instance"
	resource.properties.managedDisks == false
	message := text.join([labels.describe(resource), " keeps a disk as a VHD blob in a storage account, not as a managed disk."])
}
