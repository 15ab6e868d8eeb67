# METADATA
# title: Reached without a private endpoint
# description: |
#   The storage account or key vault has no approved private endpoint, so
#   every client, inside the virtual network or not, reaches it over its
#   public endpoint and traffic from the network leaves it. Azure:
#   privateEndpointConnections holds no connection whose status is Approved
#   ([] when there are none). Bodies of older API versions omit the list:
#   unknown.
#   https://learn.microsoft.com/en-us/azure/private-link/private-endpoint-overview
# custom:
#   id: DD-NET-004
#   severity: LOW
#   kinds: [storage.bucket, kms.key]
#   frameworks:
#     cis-azure-3.0: ["3.3.7", "4.9"]
#     nist-800-53: ["SC-7", "SC-7(4)"]
#   remediation:
#     azure: >-
#       Create a private endpoint for the account (sub-resource blob, file…) or
#       the vault (sub-resource vault) in the virtual network that uses it
#       (az network private-endpoint create), with its private DNS zone.
#     default: Reach the resource through a private endpoint.
package drift.rules.network.private_endpoint

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"privateEndpoint": false}} if {
	resource.kind in {"storage.bucket", "kms.key"}
	resource.properties.privateEndpoint == false
	message := text.join([labels.describe(resource), " has no approved private endpoint."])
}
