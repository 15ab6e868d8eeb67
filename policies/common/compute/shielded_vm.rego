# METADATA
# title: Shielded VM protections off
# description: |
#   The instance runs without vTPM or without integrity monitoring, so boot-level
#   tampering goes unmeasured and unreported (GCP shieldedInstanceConfig
#   enableVtpm, enableIntegrityMonitoring; Azure trusted launch, whose
#   uefiSettings vTpmEnabled is false, or absent on a Standard security type).
#   An instance whose image has no Shielded VM settings is unknown, no
#   violation. Secure boot is named when off but does not decide (it needs
#   signed drivers, which some workloads lack).
# custom:
#   id: DD-COMPUTE-004
#   severity: LOW
#   kinds: [compute.instance]
#   frameworks:
#     cis-azure-3.0: ["8.11"]
#     cis-gcp-3.0: ["4.8"]
#     nist-800-53: ["SI-7"]
#   remediation:
#     gcp: >-
#       Stop the instance and turn on vTPM and integrity monitoring (gcloud compute
#       instances update --shielded-vtpm --shielded-integrity-monitoring), or
#       enforce constraints/compute.requireShieldedVm.
#     azure: >-
#       Turn on trusted launch with secure boot and vTPM (az vm update
#       --security-type TrustedLaunch --enable-secure-boot true --enable-vtpm true,
#       on a deallocated Gen2 VM).
#     default: Turn on measured boot and integrity monitoring.
package drift.rules.compute.shielded_vm

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

protections := {"vtpm": "vTPM", "integrityMonitoring": "integrity monitoring"}

off contains name if {
	some field, name in protections
	resource.properties.shieldedVm[field] == false
}

# What each cloud calls the protections.
default feature := "Shielded VM"

feature := "trusted launch" if resource.provider == "azure"

deny contains {"message": message, "details": {"off": sort(off)}} if {
	resource.kind == "compute.instance"
	count(off) > 0
	message := text.join([labels.describe(resource), " runs with ", feature, " ", concat(" and ", sort(off)), " off."])
}
