# METADATA
# title: Database minor version upgrades not automatic
# description: |
#   The database does not take minor engine versions in its maintenance
#   window (AWS autoMinorVersionUpgrade false), so security patches of the
#   engine wait for someone to apply them. Azure SQL and Cloud SQL patch their
#   engines themselves: never a violation there.
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html
# custom:
#   id: DD-DB-006
#   severity: LOW
#   kinds: [database.instance]
#   frameworks:
#     cis-aws-3.0: ["2.3.2"]
#     nist-800-53: ["SI-2"]
#   remediation:
#     aws: Turn on automatic minor version upgrades (rds modify-db-instance --auto-minor-version-upgrade).
#     default: Let the database take minor engine versions automatically.
package drift.rules.database.minor_version_upgrade

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"autoMinorVersionUpgrade": false}} if {
	resource.kind == "database.instance"
	resource.properties.autoMinorVersionUpgrade == false
	message := text.join([labels.describe(resource), " does not upgrade minor engine versions automatically."])
}
