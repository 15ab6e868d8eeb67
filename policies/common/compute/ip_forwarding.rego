# METADATA
# title: Instance forwards IP traffic
# description: |
#   The instance may send and receive packets that are neither from nor to it,
#   so it can route traffic around the network's controls: GCP canIpForward
#   true, AWS sourceDestCheck false. Routing appliances and NAT instances need
#   it; waive those by id. Unknown (not reported) is no violation.
# custom:
#   id: DD-COMPUTE-002
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.6"]
#     nist-800-53: ["SC-7", "AC-4"]
#   remediation:
#     aws: Turn the source/destination check back on (ec2 modify-instance-attribute --source-dest-check).
#     gcp: Recreate the instance without IP forwarding (canIpForward is set at creation), or enforce constraints/compute.vmCanIpForward.
#     default: Disable IP forwarding on instances that do not route traffic.
package drift.rules.compute.ip_forwarding

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

setting := {"aws": "sourceDestCheck is false", "gcp": "canIpForward is true"}

deny contains {"message": message, "details": {"setting": setting[resource.provider]}} if {
	resource.kind == "compute.instance"
	resource.properties.ipForwarding == true
	message := text.join([
		labels.describe(resource), " forwards IP traffic that is neither from nor to it (",
		setting[resource.provider], ").",
	])
}
