# METADATA
# title: Instance has a public address
# description: |
#   The VM instance holds an external IP address, so it is one firewall
#   mistake away from the internet; instances reached through a load
#   balancer, IAP or Cloud NAT need none. Read from the instance's own
#   interfaces (GCP accessConfigs natIP and ipv6AccessConfigs externalIpv6,
#   AWS public IPs). Instances that GKE creates (names starting gke-) are left
#   out, as CIS GCP 4.9 leaves them: their addresses are GKE's to manage.
# custom:
#   id: DD-COMPUTE-009
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.9"]
#     nist-800-53: ["SC-7"]
#   remediation:
#     gcp: >-
#       Remove the instance's access configs (gcloud compute instances
#       delete-access-config INSTANCE --access-config-name NAME); reach it
#       through IAP or a load balancer, and the internet through Cloud NAT.
#     aws: Launch the instance in a private subnet without a public IP; reach it through SSM Session Manager or a load balancer.
#     default: Take the instance's public address away.
package drift.rules.compute.public_address

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

addresses := resource.properties.publicIps

deny contains {"message": message, "details": {"publicIps": addresses}} if {
	resource.kind == "compute.instance"
	count(addresses) > 0
	not startswith(resource.name, "gke-")
	message := text.join([labels.describe(resource), " has the public address(es) ", concat(", ", addresses), "."])
}
