# METADATA
# title: Database storage not encrypted
# description: |
#   The database's storage is not encrypted at rest: AWS storageEncrypted false,
#   Azure transparent data encryption off (when reported). Cloud SQL always
#   encrypts, so GCP never violates it.
# custom:
#   id: DD-DB-002
#   severity: HIGH
#   kinds: [database.instance]
#   frameworks:
#     cis-aws-3.0: ["2.3.1"]
#     nist-800-53: ["SC-28"]
#   remediation:
#     aws: Encryption cannot be turned on in place; restore an encrypted snapshot copy into a new instance.
#     azure: Turn on transparent data encryption for the databases.
#     default: Encrypt the database storage.
package drift.rules.database.unencrypted_storage

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"storageEncrypted": false}} if {
	resource.kind == "database.instance"
	resource.properties.storageEncrypted == false
	message := text.join([labels.describe(resource), " stores data unencrypted at rest."])
}
