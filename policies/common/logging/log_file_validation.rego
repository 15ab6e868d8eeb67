# METADATA
# title: Audit log files not validated
# description: |
#   CloudTrail writes no digest files for the trail's logs
#   (logFileValidationEnabled false), so a log file changed or deleted after
#   delivery cannot be told from an intact one. Unknown (an item without the
#   field) decides nothing.
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
# custom:
#   id: DD-LOG-002
#   severity: MEDIUM
#   kinds: [audit.trail]
#   frameworks:
#     cis-aws-3.0: ["3.2"]
#     nist-800-53: ["AU-9"]
#   remediation:
#     aws: Turn on log file validation (aws cloudtrail update-trail --name TRAIL --enable-log-file-validation).
#     default: Turn on integrity validation of the audit log files.
package drift.rules.logging.log_file_validation

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"causes": [message], "logFileValidation": false}} if {
	resource.kind == "audit.trail"
	resource.properties.logFileValidation == false
	message := text.join([
		labels.describe(resource),
		" does not validate its log files: a log changed or deleted after delivery would go unnoticed.",
	])
}
