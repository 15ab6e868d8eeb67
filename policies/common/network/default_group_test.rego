package drift.rules.network.default_group_test

import data.drift.rules.network.default_group as rule
import data.drift.test.fixtures

default_group(rules, is_default) := object.union(
	fixtures.firewall("aws", "default", rules),
	{"properties": {"rules": rules, "network": "vpc-1", "defaultGroup": is_default}},
)

self_rule := fixtures.rule({"direction": "ingress", "peers": ["sg:sg-0default"], "ports": null, "protocol": "all"})

egress_rule := fixtures.rule({"direction": "egress", "peers": ["0.0.0.0/0"], "ports": null, "protocol": "all"})

test_default_group_with_rules_is_flagged if {
	some violation in rule.deny with input.resource as default_group([self_rule, egress_rule], true)
	violation.message == "Security group 'default' is the VPC's default group and admits egress and ingress traffic."
}

test_default_group_without_rules_and_other_groups_are_compliant if {
	count(rule.deny) == 0 with input.resource as default_group([], true)
	count(rule.deny) == 0 with input.resource as default_group([self_rule], false)
	count(rule.deny) == 0 with input.resource as default_group([self_rule], null)
	count(rule.deny) == 0 with input.resource as fixtures.firewall("azure", "nsg", [self_rule])
}
