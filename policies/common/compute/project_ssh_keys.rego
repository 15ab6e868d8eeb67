# METADATA
# title: Instance accepts project-wide SSH keys
# description: |
#   The VM instance accepts the SSH keys set in its project's metadata, so
#   whoever holds one of them can log in to every such instance of the project:
#   its metadata does not set block-project-ssh-keys true. An instance whose
#   record has no metadata at all is unknown, no violation.
# custom:
#   id: DD-COMPUTE-006
#   severity: LOW
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.3"]
#     nist-800-53: ["AC-17", "IA-2"]
#   remediation:
#     gcp: Set the instance metadata block-project-ssh-keys to TRUE, or use OS Login.
#     default: Accept only keys meant for the instance.
package drift.rules.compute.project_ssh_keys

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"metadata": "block-project-ssh-keys"}} if {
	resource.kind == "compute.instance"
	resource.properties.projectSshKeysBlocked == false
	message := text.join([labels.describe(resource), " accepts project-wide SSH keys (block-project-ssh-keys is not true)."])
}
