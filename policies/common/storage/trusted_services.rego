# METADATA
# title: Trusted Azure services cannot reach the storage account
# description: |
#   The account's network rules do not let trusted Microsoft services past
#   (networkAcls.bypass without AzureServices), so services such as Azure
#   Backup, Event Grid or Defender for Storage that work on the account's
#   behalf are refused once its firewall denies by default; teams then tend to
#   open the firewall to everyone instead. Unknown when the account reports no
#   network rules.
#   https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security#grant-access-to-trusted-azure-services
# custom:
#   id: DD-STORAGE-009
#   severity: LOW
#   kinds: [storage.bucket]
#   frameworks:
#     cis-azure-3.0: ["4.8"]
#     nist-800-53: ["SC-7"]
#   remediation:
#     azure: Allow trusted Azure services past the account's network rules (az storage account update --bypass AzureServices).
#     default: Let the platform's trusted services reach the storage past its network rules.
package drift.rules.storage.trusted_services

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"trustedServicesBypass": false}} if {
	resource.kind == "storage.bucket"
	resource.properties.trustedServicesBypass == false
	message := text.join([labels.describe(resource), " does not let trusted Azure services past its network rules."])
}
