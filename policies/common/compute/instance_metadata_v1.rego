# METADATA
# title: Instance metadata v1 allowed
# description: |
#   The EC2 instance answers IMDSv1 (no session token), which SSRF bugs turn
#   into credential theft: metadataOptions.httpTokens must be "required". An
#   instance with the metadata endpoint disabled is compliant; an item without
#   metadataOptions (older Config items) is unknown.
# custom:
#   id: DD-COMPUTE-001
#   severity: MEDIUM
#   kinds: [compute.instance]
#   frameworks:
#     cis-aws-3.0: ["5.6"]
#     nist-800-53: ["AC-3", "SC-7"]
#   remediation:
#     aws: Require IMDSv2 (ec2 modify-instance-metadata-options --http-tokens required).
#     default: Require session tokens for the instance metadata service.
package drift.rules.compute.instance_metadata_v1

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"httpTokens": "optional"}} if {
	resource.kind == "compute.instance"
	resource.provider == "aws"
	resource.properties.metadataTokensRequired == false
	not resource.properties.metadataEndpointEnabled == false
	message := text.join([labels.describe(resource), " allows IMDSv1. httpTokens must be required."])
}
