# METADATA
# title: Key vault authorizes with access policies
# description: |
#   The Azure key vault grants access to its keys, secrets and certificates
#   through vault access policies instead of Azure RBAC
#   (enableRbacAuthorization false or unset): access policies cannot be scoped
#   to one key, are not governed by Privileged Identity Management, and anyone
#   with Contributor on the vault can grant themselves data access.
# custom:
#   id: DD-KMS-003
#   severity: LOW
#   kinds: [kms.key]
#   frameworks:
#     cis-azure-3.0: ["3.3.6"]
#     nist-800-53: ["AC-3", "AC-6"]
#   remediation:
#     azure: Assign Key Vault data-plane roles, then switch the vault to Azure RBAC (az keyvault update --enable-rbac-authorization true).
#     default: Authorize key access with role-based access control.
package drift.rules.kms.vault_rbac

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"rbacAuthorization": false}} if {
	resource.kind == "kms.key"
	resource.properties.rbacAuthorization == false
	message := text.join([labels.describe(resource), " authorizes data access with vault access policies, not Azure RBAC."])
}
