# METADATA
# title: Default security group admits traffic
# description: |
#   The VPC's default security group holds rules. Every instance launched
#   without a group joins it, and by default it admits all traffic between
#   its members and all outbound traffic, so an instance placed there by
#   mistake is reachable by its neighbours. CIS wants it to admit nothing;
#   groups made for the purpose carry the rules instead.
#   https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
# custom:
#   id: DD-NET-003
#   severity: LOW
#   kinds: [network.firewall]
#   frameworks:
#     cis-aws-3.0: ["5.4"]
#     nist-800-53: ["SC-7", "AC-4"]
#   remediation:
#     aws: >-
#       Remove every inbound and outbound rule of the default security group
#       (ec2 revoke-security-group-ingress / revoke-security-group-egress) and
#       move its members to groups of their own.
#     default: Leave the network's default group without rules.
package drift.rules.network.default_group

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

directions contains rule.direction if some rule in resource.properties.rules

deny contains {"message": message, "details": {"directions": sort(directions)}} if {
	resource.kind == "network.firewall"
	resource.properties.defaultGroup == true
	count(directions) > 0
	message := text.join([
		labels.describe(resource), " is the VPC's default group and admits ",
		concat(" and ", sort(directions)), " traffic.",
	])
}
