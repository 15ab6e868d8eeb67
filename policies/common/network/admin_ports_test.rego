package drift.rules.network.admin_ports_test

import data.drift.rules.network.admin_ports as rule
import data.drift.test.fixtures

test_aws_ssh_open_to_the_internet_is_flagged if {
	sg := fixtures.firewall("aws", "web", [fixtures.rule({"name": "sg-1 ingress"})])
	some violation in rule.deny with input.resource as sg
	violation.message == "Security group 'web' exposes administrative port(s) 22 to the internet."
	violation.details.causes == ["Security group 'web' allows SSH (22) from 0.0.0.0/0 through rule 'sg-1 ingress' (tcp 22)."]
}

test_aws_all_traffic_rule_exposes_both_admin_ports if {
	sg := fixtures.firewall("aws", "wide", [fixtures.rule({"protocol": "all", "ports": null, "peers": ["::/0"]})])
	some violation in rule.deny with input.resource as sg
	violation.details.ports == [22, 3389]
}

test_port_range_covering_rdp_is_flagged if {
	fw := fixtures.firewall("gcp", "range", [fixtures.rule({"ports": [{"from": 3000, "to": 4000}], "priority": 1000})])
	some violation in rule.deny with input.resource as fw
	violation.details.ports == [3389]
}

test_narrow_source_udp_egress_and_disabled_rules_are_compliant if {
	rules := [
		fixtures.rule({"peers": ["203.0.113.0/24"]}),
		fixtures.rule({"protocol": "udp", "ports": null}),
		fixtures.rule({"direction": "egress"}),
		fixtures.rule({"enabled": false}),
		fixtures.rule({"ports": [{"from": 80, "to": 443}]}),
	]
	count(rule.deny) == 0 with input.resource as fixtures.firewall("gcp", "ok", rules)
}

# Azure NSG: first match by priority wins, so a Deny at 100 shadows an Allow at 200.
test_azure_allow_below_a_higher_priority_deny_admits_nothing if {
	rules := [
		fixtures.rule({"name": "DenySsh", "action": "deny", "priority": 100, "protocol": "all", "ports": null}),
		fixtures.rule({"name": "AllowSsh", "priority": 200}),
	]
	count(rule.deny) == 0 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

test_azure_deny_below_the_allow_does_not_help if {
	rules := [
		fixtures.rule({"name": "AllowSsh", "priority": 100}),
		fixtures.rule({"name": "DenySsh", "action": "deny", "priority": 200, "protocol": "all", "ports": null}),
	]
	count(rule.deny) == 1 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

test_deny_of_another_protocol_does_not_shadow if {
	rules := [
		fixtures.rule({"action": "deny", "priority": 100, "protocol": "udp"}),
		fixtures.rule({"priority": 200}),
	]
	count(rule.deny) == 1 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

test_deny_from_a_narrow_source_does_not_shadow if {
	rules := [
		fixtures.rule({"action": "deny", "priority": 100, "peers": ["198.51.100.7/32"]}),
		fixtures.rule({"priority": 200}),
	]
	count(rule.deny) == 1 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

test_unnamed_rule_is_labelled if {
	sg := fixtures.firewall("aws", "web", [fixtures.rule({"name": null, "ports": [{"from": 3389, "to": 3389}]})])
	some violation in rule.deny with input.resource as sg
	violation.details.causes == ["Security group 'web' allows RDP (3389) from 0.0.0.0/0 through rule (unnamed) (tcp 3389)."]
}

# The whole internet in pieces: two rules of one security group, each half of IPv4.
test_aws_ssh_open_to_the_internet_in_two_rules_is_flagged if {
	sg := fixtures.firewall("aws", "web", [
		fixtures.rule({"name": "low", "peers": ["0.0.0.0/1"]}),
		fixtures.rule({"name": "high", "peers": ["128.0.0.0/1", "10.0.0.0/8"]}),
	])
	some violation in rule.deny with input.resource as sg
	violation.details.ports == [22]
	expected := concat("", [
		"Security group 'web' allows SSH (22) from the whole internet in pieces (0.0.0.0/1, 10.0.0.0/8, 128.0.0.0/1)",
		" through rule(s) 'high', 'low'.",
	])
	violation.details.causes == [expected]
}

test_gcp_one_rule_with_both_ipv6_halves_is_flagged if {
	fw := fixtures.firewall("gcp", "fw", [fixtures.rule({"peers": ["::/1", "8000::/1"], "priority": 1000})])
	some violation in rule.deny with input.resource as fw
	violation.details.ports == [22]
}

test_azure_halves_of_which_one_is_shadowed_by_a_deny_of_the_internet_leave_a_gap if {
	nsg := fixtures.firewall("azure", "nsg", [
		fixtures.rule({"name": "deny-ssh", "action": "deny", "priority": 100}),
		fixtures.rule({"name": "low", "peers": ["0.0.0.0/1"], "priority": 200}),
		fixtures.rule({"name": "high", "peers": ["128.0.0.0/1"], "priority": 300}),
	])
	count(rule.deny) == 0 with input.resource as nsg
}

test_pieces_with_a_gap_or_on_other_ports_or_of_two_families_are_compliant if {
	every rules in [
		[fixtures.rule({"peers": ["0.0.0.0/1"]}), fixtures.rule({"peers": ["128.0.0.0/2"]})],
		[fixtures.rule({"peers": ["0.0.0.0/1"]}), fixtures.rule({"peers": ["128.0.0.0/1"], "ports": [{"from": 80, "to": 80}]})],
		[fixtures.rule({"peers": ["0.0.0.0/1", "8000::/1"]})],
		[fixtures.rule({"peers": ["0.0.0.0/1"]}), fixtures.rule({"peers": ["128.0.0.0/1"], "protocol": "udp"})],
	] {
		count(rule.deny) == 0 with input.resource as fixtures.firewall("aws", "sg", rules)
	}
}

# A single rule from the whole internet is reported as such, not again as pieces.
test_a_rule_from_the_whole_internet_is_not_also_pieces if {
	sg := fixtures.firewall("aws", "web", [
		fixtures.rule({"name": "all"}),
		fixtures.rule({"name": "low", "peers": ["0.0.0.0/1"]}),
		fixtures.rule({"name": "high", "peers": ["128.0.0.0/1"]}),
	])
	some violation in rule.deny with input.resource as sg
	violation.details.causes == ["Security group 'web' allows SSH (22) from 0.0.0.0/0 through rule 'all' (tcp 22)."]
}

# GCP: each VPC firewall rule is a record of its own; the network's rules apply
# in one priority order, so a higher-priority deny held by another rule of the
# network shadows this allow.
network_deny(overrides) := fixtures.rule(object.union(
	{"name": "deny-ssh", "action": "deny", "priority": 100, "protocol": "tcp", "ports": [{"from": 22, "to": 22}]},
	overrides,
))

allow_ssh := fixtures.rule({"name": "allow-ssh", "priority": 1000})

test_gcp_allow_below_a_deny_of_another_rule_of_the_network_admits_nothing if {
	fw := fixtures.gcp_firewall_in_network("allow-ssh", [allow_ssh], [network_deny({})])
	count(rule.deny) == 0 with input.resource as fw
}

test_gcp_deny_of_the_network_at_the_same_priority_wins if {
	fw := fixtures.gcp_firewall_in_network("allow-ssh", [allow_ssh], [network_deny({"priority": 1000})])
	count(rule.deny) == 0 with input.resource as fw
}

test_gcp_deny_of_the_network_that_does_not_come_first_or_cover_leaves_the_allow_open if {
	denies := [
		network_deny({"priority": 1001}),
		network_deny({"ports": [{"from": 23, "to": 23}]}),
		network_deny({"enabled": false}),
		network_deny({"direction": "egress"}),
		network_deny({"targets": ["tag:bastion"]}),
		network_deny({"peers": ["::/0"]}),
	]
	fw := fixtures.gcp_firewall_in_network("allow-ssh", [allow_ssh], denies)
	some violation in rule.deny with input.resource as fw
	violation.details.ports == [22]
}

# A deny naming targets covers an allow only on the instances it names.
test_gcp_deny_with_targets_shadows_an_allow_whose_targets_it_names_all if {
	allow := fixtures.rule({"name": "allow-ssh", "priority": 1000, "targets": ["tag:web", "tag:api"]})
	covering := [network_deny({"targets": ["tag:api", "tag:web", "tag:db"]})]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], covering)
	partial := [network_deny({"targets": ["tag:web"]})]
	count(rule.deny) == 1 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], partial)
}

# A deny of IPv4 sources leaves an allow of IPv6 ones open, and the other way round.
test_deny_of_one_address_family_does_not_shadow_an_allow_of_the_other if {
	allow := fixtures.rule({"name": "allow-ssh", "priority": 1000, "peers": ["0.0.0.0/0", "::/0"]})
	v4 := [network_deny({})]
	violations := rule.deny with input.resource as fixtures.gcp_firewall_in_network("a", [allow], v4)
	[violation.details.ports | some violation in violations] == [[22]]
	both := [network_deny({"peers": ["0.0.0.0/0", "::/0"]})]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], both)
}

# A rule of the network that could not be read may be the deny that shadows
# this allow: no exposure is claimed.
test_gcp_unknown_network_rules_claim_no_exposure if {
	fw := fixtures.gcp_firewall_in_network("allow-ssh", [allow_ssh], null)
	count(rule.deny) == 0 with input.resource as fw
}

test_gcp_network_deny_shadows_a_piece if {
	pieces := [
		fixtures.rule({"name": "low", "priority": 1000, "peers": ["0.0.0.0/1"]}),
		fixtures.rule({"name": "high", "priority": 1000, "peers": ["128.0.0.0/1"]}),
	]
	count(rule.deny) == 1 with input.resource as fixtures.gcp_firewall_in_network("a", pieces, [])
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_in_network("a", pieces, [network_deny({})])
}

# GCP hierarchical firewall policies are evaluated before the network's rules,
# organization first: a deny there settles the traffic whatever its priority,
# unless a rule evaluated before it may take some of that traffic.
policy_rule(action, priority, overrides) := fixtures.rule(object.union(
	{"name": concat("-", [action, "ssh"]), "action": action, "priority": priority, "protocol": "tcp", "ports": [{"from": 22, "to": 22}]},
	overrides,
))

test_gcp_deny_of_a_firewall_policy_above_shadows_the_allow_whatever_its_priority if {
	levels := [fixtures.policy_level("organizations/1", [policy_rule("deny", 65000, {})])]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow_ssh], levels)
}

test_gcp_policy_deny_that_the_internet_may_escape_leaves_the_allow_open if {
	cases := [
		# An allow of the organization admits the internet first.
		[
			fixtures.policy_level("organizations/1", [policy_rule("allow", 10, {})]),
			fixtures.policy_level("folders/2", [policy_rule("deny", 1, {})]),
		],
		# goto_nexts ordered before the deny in its own policy hand it down, in two halves.
		[fixtures.policy_level("folders/2", [
			policy_rule("next", 5, {"peers": ["0.0.0.0/1"]}),
			policy_rule("next", 6, {"peers": ["128.0.0.0/1"]}),
			policy_rule("deny", 10, {}),
		])],
		# The deny covers another port, another protocol, or only some instances.
		[fixtures.policy_level("organizations/1", [
			policy_rule("deny", 1, {"ports": [{"from": 23, "to": 23}]}),
			policy_rule("deny", 2, {"protocol": "udp"}),
			policy_rule("deny", 3, {"targets": ["serviceAccount:web@p.iam.gserviceaccount.com"]}),
		])],
	]
	every levels in cases {
		count(rule.deny) == 1 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow_ssh], levels)
	}
}

# What escapes the deny is narrower than the internet: no exposure to the internet.
test_gcp_policy_deny_with_narrow_escapes_shadows_the_allow if {
	levels := [
		fixtures.policy_level("organizations/1", [policy_rule("allow", 10, {"peers": ["203.0.113.0/24"]})]),
		fixtures.policy_level("folders/2", [
			policy_rule("next", 5, {"peers": ["0.0.0.0/1"]}),
			policy_rule("deny", 10, {}),
		]),
	]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow_ssh], levels)
}

test_gcp_goto_next_above_and_allows_after_the_deny_do_not_stop_it if {
	levels := [
		fixtures.policy_level("organizations/1", [policy_rule("next", 1, {})]),
		fixtures.policy_level("folders/2", [policy_rule("deny", 10, {}), policy_rule("allow", 20, {})]),
	]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow_ssh], levels)
}

test_gcp_unreadable_firewall_policy_above_claims_no_exposure if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow_ssh], null)
}
