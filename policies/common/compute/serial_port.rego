# METADATA
# title: Serial port access enabled
# description: |
#   The instance accepts interactive serial console connections
#   (metadata serial-port-enable true), which bypass the network's firewall
#   rules and IP-based controls. The key is read on the instance; one it does
#   not set is inherited from the project's metadata, which the inventory does
#   not hold: unknown, no violation.
# custom:
#   id: DD-COMPUTE-003
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.5"]
#     nist-800-53: ["AC-17", "CM-7"]
#   remediation:
#     gcp: Set the instance metadata serial-port-enable to false, or enforce constraints/compute.disableSerialPortAccess.
#     default: Disable interactive serial console access.
package drift.rules.compute.serial_port

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"metadata": "serial-port-enable"}} if {
	resource.kind == "compute.instance"
	resource.properties.serialPortEnabled == true
	message := text.join([labels.describe(resource), " accepts serial console connections (serial-port-enable is true)."])
}
