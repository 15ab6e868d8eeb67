# METADATA
# title: Database automated backups off
# description: |
#   The database takes no automated backups, so data lost or corrupted cannot
#   be restored to a point in time: AWS backupRetentionPeriod 0, GCP
#   backupConfiguration.enabled false. Azure SQL backs up every database by
#   itself and its server reports nothing of it: never a violation there.
# custom:
#   id: DD-DB-004
#   severity: MEDIUM
#   kinds: [database.instance]
#   frameworks:
#     cis-gcp-3.0: ["6.7"]
#     nist-800-53: ["CP-9"]
#   remediation:
#     aws: Set a backup retention period of at least 1 day (rds modify-db-instance --backup-retention-period 7).
#     gcp: Turn on automated backups (gcloud sql instances patch INSTANCE --backup-start-time HH:MM).
#     default: Turn on automated backups.
package drift.rules.database.automated_backups

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"automatedBackups": false}} if {
	resource.kind == "database.instance"
	resource.properties.automatedBackups == false
	message := text.join([labels.describe(resource), " takes no automated backups."])
}
