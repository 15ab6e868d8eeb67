# METADATA
# title: Cross-tenant replication allowed
# description: |
#   The Azure storage account lets object replication copy its blobs to
#   storage accounts of other Microsoft Entra tenants
#   (allowCrossTenantReplication true): data can leave the organization's
#   tenant through a replication policy. Unknown (not reported) is no
#   violation.
# custom:
#   id: DD-STORAGE-006
#   severity: MEDIUM
#   kinds: [storage.bucket]
#   frameworks:
#     cis-azure-3.0: ["4.16"]
#     nist-800-53: ["AC-4", "SC-7"]
#   remediation:
#     azure: Disallow it (az storage account update --allow-cross-tenant-replication false).
#     default: Keep replication within the organization.
package drift.rules.storage.cross_tenant_replication

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"allowCrossTenantReplication": true}} if {
	resource.kind == "storage.bucket"
	resource.properties.crossTenantReplication == true
	message := text.join([labels.describe(resource), " allows object replication to other tenants."])
}
