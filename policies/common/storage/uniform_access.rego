# METADATA
# title: Bucket object ACLs in use
# description: |
#   The bucket still honours object ACLs (GCP uniform bucket-level access
#   off), so an object can be shared, even with the public, by an ACL that
#   the bucket's IAM policy does not show and that no bucket-level review
#   finds. With uniform access, IAM alone decides.
#   https://cloud.google.com/storage/docs/uniform-bucket-level-access
# custom:
#   id: DD-STORAGE-007
#   severity: MEDIUM
#   kinds: [storage.bucket]
#   frameworks:
#     cis-gcp-3.0: ["5.2"]
#     nist-800-53: ["AC-3", "AC-6"]
#   remediation:
#     gcp: Turn on uniform bucket-level access (gcloud storage buckets update gs://BUCKET --uniform-bucket-level-access).
#     default: Let IAM alone decide who reaches the bucket's objects.
package drift.rules.storage.uniform_access

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"uniformAccess": false}} if {
	resource.kind == "storage.bucket"
	resource.properties.uniformAccess == false
	message := text.join([labels.describe(resource), " honours object ACLs: uniform bucket-level access is off."])
}
