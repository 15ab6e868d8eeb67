# METADATA
# title: OS Login turned off on the instance
# description: |
#   The VM instance sets enable-oslogin false in its metadata, so SSH access is
#   managed by keys in metadata instead of IAM (no central revocation, no
#   2-step verification). An instance that does not set it inherits the
#   project's setting, which the inventory does not hold: unknown, no
#   violation.
# custom:
#   id: DD-COMPUTE-007
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.4"]
#     nist-800-53: ["AC-2", "IA-2"]
#   remediation:
#     gcp: >-
#       Remove enable-oslogin FALSE from the instance metadata and set
#       enable-oslogin TRUE on the project, or enforce constraints/compute.requireOsLogin.
#     default: Manage SSH access through the identity provider.
package drift.rules.compute.os_login

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"metadata": "enable-oslogin"}} if {
	resource.kind == "compute.instance"
	resource.properties.osLoginEnabled == false
	message := text.join([labels.describe(resource), " turns OS Login off (enable-oslogin is false)."])
}
