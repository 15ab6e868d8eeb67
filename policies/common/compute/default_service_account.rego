# METADATA
# title: Instance runs as the default compute service account
# description: |
#   The VM instance runs as the project's default Compute Engine service account
#   (<project number>-compute@developer.gserviceaccount.com), which holds the
#   Editor role on the project unless that grant was removed: any code on the
#   instance acts with it. Instances that GKE creates (names starting gke-) are
#   left out, as the benchmark leaves them out.
# custom:
#   id: DD-COMPUTE-005
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-gcp-3.0: ["4.1"]
#     nist-800-53: ["AC-6"]
#   remediation:
#     gcp: Create a service account with only the roles the workload needs and run the instance as it (gcloud compute instances set-service-account).
#     default: Run the instance as an identity of its own with least privilege.
package drift.rules.compute.default_service_account

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

default_accounts contains identity if {
	some identity in resource.properties.identities
	regex.match(`^[0-9]+-compute@developer\.gserviceaccount\.com$`, identity)
}

deny contains {"message": message, "details": {"serviceAccount": account}} if {
	resource.kind == "compute.instance"
	resource.provider == "gcp"
	not startswith(resource.name, "gke-")
	some account in default_accounts
	message := text.join([labels.describe(resource), " runs as the default compute service account ", account, "."])
}
