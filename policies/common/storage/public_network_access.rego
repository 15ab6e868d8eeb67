# METADATA
# title: Storage account reachable from public networks
# description: |
#   The storage account accepts connections from public networks
#   (publicNetworkAccess "Enabled"), so its keys or SAS tokens work from
#   anywhere they leak to; with public access disabled, only private endpoints
#   reach it. An account that never set publicNetworkAccess does not report
#   it: unknown.
#   https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security
# custom:
#   id: DD-STORAGE-008
#   severity: LOW
#   kinds: [storage.bucket]
#   frameworks:
#     cis-azure-3.0: ["4.6"]
#     nist-800-53: ["SC-7", "AC-3"]
#   remediation:
#     azure: >-
#       Disable public network access (az storage account update
#       --public-network-access Disabled) and reach the account through
#       private endpoints.
#     default: Close the storage to public networks.
package drift.rules.storage.public_network_access

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"publicNetworkAccess": true}} if {
	resource.kind == "storage.bucket"
	resource.properties.publicNetworkAccess == true
	message := text.join([labels.describe(resource), " accepts connections from public networks."])
}
