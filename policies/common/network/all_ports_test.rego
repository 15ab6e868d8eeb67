package drift.rules.network.all_ports_test

import data.drift.rules.network.all_ports as rule
import data.drift.test.fixtures

test_aws_all_traffic_from_the_internet_is_flagged if {
	sg := fixtures.firewall("aws", "open", [fixtures.rule({"name": "sg-1", "protocol": "all", "ports": null})])
	some violation in rule.deny with input.resource as sg
	violation.details.causes == ["Security group 'open' allows all traffic on all ports from 0.0.0.0/0 through rule 'sg-1'."]
}

test_aws_tcp_0_65535_is_flagged if {
	sg := fixtures.firewall("aws", "open", [fixtures.rule({"ports": [{"from": 0, "to": 65535}]})])
	some violation in rule.deny with input.resource as sg
	violation.details.causes == ["Security group 'open' allows TCP on all ports from 0.0.0.0/0 through rule 'r'."]
}

test_gcp_protocol_without_ports_is_every_port if {
	fw := fixtures.firewall("gcp", "fw", [fixtures.rule({"protocol": "udp", "ports": null, "priority": 1000})])
	count(rule.deny) == 1 with input.resource as fw
}

test_gcp_1_65535_counts_as_every_port if {
	fw := fixtures.firewall("gcp", "fw", [fixtures.rule({"ports": [{"from": 1, "to": 65535}], "priority": 1000})])
	count(rule.deny) == 1 with input.resource as fw
}

test_partial_ranges_and_private_sources_are_compliant if {
	rules := [
		fixtures.rule({"ports": [{"from": 4000, "to": 4100}]}),
		fixtures.rule({"protocol": "all", "ports": null, "peers": ["10.0.0.0/8"]}),
		fixtures.rule({"protocol": "all", "ports": null, "enabled": false}),
		fixtures.rule({"protocol": "all", "ports": null, "direction": "egress"}),
	]
	count(rule.deny) == 0 with input.resource as fixtures.firewall("gcp", "fw", rules)
}

test_azure_deny_all_at_higher_priority_shadows_allow_all if {
	rules := [
		fixtures.rule({"action": "deny", "priority": 100, "protocol": "all", "ports": null}),
		fixtures.rule({"priority": 300, "protocol": "all", "ports": null}),
	]
	count(rule.deny) == 0 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

test_azure_deny_of_some_ports_leaves_all_ports_rule_open if {
	rules := [
		fixtures.rule({"action": "deny", "priority": 100, "protocol": "all", "ports": [{"from": 22, "to": 22}]}),
		fixtures.rule({"priority": 300, "protocol": "all", "ports": null}),
	]
	count(rule.deny) == 1 with input.resource as fixtures.firewall("azure", "nsg", rules)
}

# Protocols without ports open no port, whatever their (absent) port list says.
test_protocols_without_ports_are_never_all_ports if {
	every provider_rule in [
		["aws", {"protocol": "icmp", "ports": null}],
		["aws", {"protocol": "icmpv6", "ports": null}],
		["aws", {"protocol": "50", "ports": null}],
		["azure", {"protocol": "icmp", "ports": null, "priority": 100}],
		["azure", {"protocol": "esp", "ports": null, "priority": 100}],
		["gcp", {"protocol": "icmp", "ports": null, "priority": 1000}],
		["gcp", {"protocol": "47", "ports": null, "priority": 1000}],
		["gcp", {"protocol": "ipip", "ports": null, "priority": 1000}],
	] {
		[provider, overrides] := provider_rule
		count(rule.deny) == 0 with input.resource as fixtures.firewall(provider, "fw", [fixtures.rule(overrides)])
	}
}

test_every_protocol_with_ports_is_all_ports_without_a_port_list if {
	every protocol in ["all", "tcp", "6", "udp", "17", "sctp", "132", "dccp", "33", "udplite", "136"] {
		fw := fixtures.firewall("gcp", "fw", [fixtures.rule({"protocol": protocol, "ports": null, "priority": 1000})])
		count(rule.deny) == 1 with input.resource as fw
	}
}

test_icmp_next_to_all_udp_ports_reports_only_udp if {
	rules := [
		fixtures.rule({"name": "ping", "protocol": "icmp", "ports": null}),
		fixtures.rule({"name": "udp-all", "protocol": "udp", "ports": [{"from": 0, "to": 65535}]}),
	]
	some violation in rule.deny with input.resource as fixtures.firewall("aws", "sg", rules)
	violation.details.causes == ["Security group 'sg' allows UDP on all ports from 0.0.0.0/0 through rule 'udp-all'."]
}

test_aws_all_udp_ports_to_both_halves_of_the_internet_is_flagged if {
	sg := fixtures.firewall("aws", "sg", [
		fixtures.rule({"name": "low", "protocol": "udp", "ports": [{"from": 0, "to": 65535}], "peers": ["0.0.0.0/1"]}),
		fixtures.rule({"name": "high", "protocol": "udp", "ports": [{"from": 0, "to": 65535}], "peers": ["128.0.0.0/1"]}),
	])
	some violation in rule.deny with input.resource as sg
	expected := concat("", [
		"Security group 'sg' allows UDP on all ports from the whole internet in pieces (0.0.0.0/1, 128.0.0.0/1)",
		" through rule(s) 'high', 'low'.",
	])
	violation.details.causes == [expected]
}

# A rule of every protocol is a piece of each protocol's internet.
test_gcp_all_traffic_and_all_tcp_ports_add_up_for_tcp_only if {
	fw := fixtures.firewall("gcp", "fw", [
		fixtures.rule({"name": "any", "protocol": "all", "ports": null, "peers": ["0.0.0.0/1"], "priority": 1000}),
		fixtures.rule({"name": "tcp", "protocol": "tcp", "ports": null, "peers": ["128.0.0.0/1"], "priority": 1000}),
	])
	some violation in rule.deny with input.resource as fw
	expected := concat("", [
		"Firewall rule 'fw' allows TCP on all ports from the whole internet in pieces (0.0.0.0/1, 128.0.0.0/1)",
		" through rule(s) 'any', 'tcp'.",
	])
	violation.details.causes == [expected]
}

test_pieces_of_different_protocols_or_with_a_gap_are_compliant if {
	every rules in [
		[
			fixtures.rule({"protocol": "tcp", "ports": null, "peers": ["0.0.0.0/1"]}),
			fixtures.rule({"protocol": "udp", "ports": null, "peers": ["128.0.0.0/1"]}),
		],
		[
			fixtures.rule({"protocol": "all", "ports": null, "peers": ["0.0.0.0/1"]}),
			fixtures.rule({"protocol": "all", "ports": null, "peers": ["192.0.0.0/2"]}),
		],
		[
			fixtures.rule({"protocol": "icmp", "ports": null, "peers": ["0.0.0.0/1"]}),
			fixtures.rule({"protocol": "icmp", "ports": null, "peers": ["128.0.0.0/1"]}),
		],
	] {
		count(rule.deny) == 0 with input.resource as fixtures.firewall("aws", "sg", rules)
	}
}

test_all_traffic_in_pieces_is_reported_once_not_again_per_protocol if {
	fw := fixtures.firewall("gcp", "fw", [
		fixtures.rule({"name": "low", "protocol": "all", "ports": null, "peers": ["0.0.0.0/1"], "priority": 1000}),
		fixtures.rule({"name": "high", "protocol": "all", "ports": null, "peers": ["128.0.0.0/1"], "priority": 1000}),
		fixtures.rule({"name": "dns", "protocol": "udp", "ports": null, "peers": ["10.0.0.0/8"], "priority": 1000}),
	])
	some violation in rule.deny with input.resource as fw
	expected := concat("", [
		"Firewall rule 'fw' allows all traffic on all ports from the whole internet in pieces (0.0.0.0/1, 128.0.0.0/1)",
		" through rule(s) 'high', 'low'.",
	])
	violation.details.causes == [expected]
}

# GCP: a deny of every port held by another rule of the network, ordered
# first, shadows an all-ports allow; one ordered after it, or unknown rules of
# the network, do not make it open or closed.
test_gcp_network_deny_of_every_port_shadows_an_all_ports_allow if {
	allow := fixtures.rule({"name": "allow-all", "priority": 1000, "protocol": "all", "ports": null})
	first := fixtures.rule({"name": "deny-all", "action": "deny", "priority": 10, "protocol": "all", "ports": null})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], [first])
	later := object.union(first, {"priority": 2000})
	count(rule.deny) == 1 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], [later])
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_in_network("a", [allow], null)
}

test_gcp_policy_deny_of_every_port_shadows_an_all_ports_allow_unless_an_allow_above_admits_the_internet if {
	allow := fixtures.rule({"name": "allow-all", "priority": 1000, "protocol": "all", "ports": null})
	deny_all := fixtures.rule({"name": "deny-all", "action": "deny", "priority": 100, "protocol": "all", "ports": null})
	settled := [fixtures.policy_level("folders/2", [deny_all])]
	count(rule.deny) == 0 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow], settled)
	allow_above := fixtures.rule({"action": "allow", "priority": 1, "protocol": "udp", "ports": [{"from": 53, "to": 53}], "peers": ["::/0"]})
	taken := [fixtures.policy_level("organizations/1", [allow_above]), fixtures.policy_level("folders/2", [deny_all])]
	count(rule.deny) == 1 with input.resource as fixtures.gcp_firewall_under_policies("a", [allow], taken)
}
