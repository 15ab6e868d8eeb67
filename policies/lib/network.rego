# METADATA
# title: Network helpers
# description: Port, protocol and peer tests over normalized firewall rules (network.firewall).
package drift.lib.network

import data.drift.lib.addresses
import data.drift.lib.text

# The internet as the normalizers write it: Azure "*", "Internet", "Any" and
# GCP's implicit default source are rewritten to these.
internet_peers := {"0.0.0.0/0", "::/0"}

admin_ports := {22: "SSH", 3389: "RDP"}

from_internet(rule) if {
	some peer in rule.peers
	peer in internet_peers
}

internet_peers_of(rule) := sort([peer | some peer in rule.peers; peer in internet_peers])

# Protocols that carry TCP traffic (SSH and RDP).
carries_tcp(rule) if rule.protocol in {"all", "tcp", "6"}

covers_port(rule, _) if rule.ports == null

covers_port(rule, port) if {
	some range in rule.ports
	range.from <= port
	port <= range.to
}

# Protocols that address traffic to ports, by name and IANA number: TCP 6,
# UDP 17, DCCP 33, SCTP 132, UDP-Lite 136, and "all", which includes them.
# https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml
# ICMP, ICMPv6, ESP, AH, GRE and the like have no ports: a rule admitting only
# them admits no port at all, so it is never "all ports" (AWS writes their
# fromPort/toPort as ICMP type/code or -1, Azure and GCP as "*" or nothing).
port_protocols := {"all", "tcp", "6", "udp", "17", "dccp", "33", "sctp", "132", "udplite", "136"}

# Every port of a protocol with ports: no ports given, or one range spanning
# 1-65535 (0-65535 too).
all_ports(rule) if {
	rule.protocol in port_protocols
	rule.ports == null
}

all_ports(rule) if {
	rule.protocol in port_protocols
	some range in rule.ports
	range.from <= 1
	range.to >= 65535
}

active_ingress(rule) if {
	rule.enabled
	rule.direction == "ingress"
}

# What may come before a resource's allows: the deny rules of the resource and
# of the other resources of its network (GCP VPC firewall rules are one record
# each), and the levels of GCP's hierarchical firewall policies. Undefined when
# one of them could not be read (networkDenyRules or policyLevels null): what
# reaches the allows is then unknown, and no exposure is claimed.
deny_pool(properties) := {"denies": array.concat(properties.rules, others), "levels": levels} if {
	others := object.get(properties, "networkDenyRules", [])
	is_array(others)
	levels := object.get(properties, "policyLevels", [])
	is_array(levels)
}

# A rule of the network or a firewall policy above it could not be read:
# whatever these rules allow may be shadowed, so no exposure is claimed (null
# is unknown, never a violation).
shadowing_unknown(properties) if properties.networkDenyRules == null

shadowing_unknown(properties) if properties.policyLevels == null

# Whether the allow admits nothing from the internet on `port` (a number, or
# "all" for every port), because a deny settles that traffic first: one of the
# network's, ordered no later than the allow (rules apply in priority order,
# lower first, and the first match wins; at equal priority a deny wins, GCP),
# or one of a firewall policy above the network, which is evaluated before any
# rule of the network. AWS security groups have no priorities and no denies.
shadowed(allow_rule, port, pool) if {
	# Cheap tests first: most rules are allows, and AWS rules have no priority.
	is_number(allow_rule.priority)
	some deny_rule in pool.denies
	deny_rule.action == "deny"
	covers(deny_rule, port)
	deny_comes_first(deny_rule, allow_rule)
}

shadowed(allow_rule, port, pool) if {
	some index, level in pool.levels
	some deny_rule in level.rules
	deny_rule.action == "deny"
	covers(deny_rule, port)
	deny_settles(deny_rule, allow_rule)
	not taken_before(deny_rule, index, allow_rule, port, pool.levels)
}

covers(rule, "all") if all_ports(rule)

covers(rule, port) if {
	is_number(port)
	covers_port(rule, port)
}

deny_comes_first(deny_rule, allow_rule) if {
	is_number(allow_rule.priority)
	is_number(deny_rule.priority)
	deny_rule.priority <= allow_rule.priority
	deny_settles(deny_rule, allow_rule)
}

# What every shadowing deny holds, whatever the ports and the order: it is an
# active inbound deny for the allow's protocol, from the internet of every
# address family the allow admits, on every instance the allow applies to.
deny_settles(deny_rule, allow_rule) if {
	active_ingress(deny_rule)
	deny_rule.action == "deny"
	deny_covers_protocol(deny_rule, allow_rule)
	denies_internet_of(deny_rule, allow_rule)
	deny_covers_targets(deny_rule, allow_rule)
}

# The deny settles the allow's internet traffic unless the rules evaluated
# before it let the whole internet past it (by one rule, or in pieces): allows
# of the levels above admit it there, and allows and goto_nexts ordered before
# the deny in its own policy admit it or hand it down towards the network's
# rules. Such a rule counts whatever its targets, as it may take the traffic.
# An escape narrower than the internet leaves no exposure to the internet;
# one as wide is an exposure, and the allow stays reported (the policies
# themselves are not judged).
taken_before(deny_rule, index, allow_rule, port, levels) if {
	before := [rule |
		some at, level in levels
		at <= index
		some rule in level.rules
		evaluated_first(rule, at, deny_rule, index)
		may_take(rule, allow_rule, port)
	]
	admits_the_internet(before)
}

evaluated_first(rule, at, _, index) if {
	at < index
	rule.action == "allow"
}

evaluated_first(rule, at, deny_rule, index) if {
	at == index
	rule.action in {"allow", "next"}
	rule.priority < deny_rule.priority
}

admits_the_internet(rules) if any_from_internet(rules)

admits_the_internet(rules) if addresses.covers_internet(spans_of(rules))

may_take(rule, allow_rule, port) if {
	active_ingress(rule)
	protocols_overlap(rule, allow_rule)
	port_overlaps(rule, port)
}

protocols_overlap(rule, allow_rule) if "all" in {rule.protocol, allow_rule.protocol}

protocols_overlap(rule, allow_rule) if rule.protocol == allow_rule.protocol

port_overlaps(_, "all")

port_overlaps(rule, port) if {
	is_number(port)
	covers_port(rule, port)
}

internet_of_family := {"ipv4": "0.0.0.0/0", "ipv6": "::/0"}

# A deny from 0.0.0.0/0 leaves IPv6 sources free, and one from ::/0 IPv4 ones.
denies_internet_of(deny_rule, allow_rule) if {
	from_internet(deny_rule)
	every family in {span.family | some span in object.get(allow_rule, "peerSpans", [])} {
		internet_of_family[family] in deny_rule.peers
	}
}

# A rule naming targets applies to instances with any of them: a deny covers
# the allow's instances when it names none, or names every target the allow
# names.
deny_covers_targets(deny_rule, _) if count(object.get(deny_rule, "targets", [])) == 0

deny_covers_targets(deny_rule, allow_rule) if {
	allow_targets := object.get(allow_rule, "targets", [])
	count(allow_targets) > 0
	every target in allow_targets {
		target in deny_rule.targets
	}
}

deny_covers_protocol(deny_rule, _) if deny_rule.protocol == "all"

deny_covers_protocol(deny_rule, allow_rule) if deny_rule.protocol == allow_rule.protocol

# Allow rules that admit TCP `port` from some peer, shadowed or not.
port_candidates(rules, port) := [rule |
	some rule in rules
	active_ingress(rule)
	rule.action == "allow"
	carries_tcp(rule)
	covers_port(rule, port)
]

# Rules none of which admits the whole internet, whose address ranges together
# cover it: the whole internet in pieces ("0.0.0.0/1" and "128.0.0.0/1", in
# one rule or several). Undefined when a single rule already admits it, or the
# pieces leave a gap. Rules from before the model had peerSpans add nothing.
pieced(admitting) := admitting if {
	not any_from_internet(admitting)
	addresses.covers_internet(spans_of(admitting))
}

# The same among a port's candidates, once shadowed rules are left out. The
# shadowing is worked out only when all the candidates together cover the
# internet, which most rule sets do not.
pieced_for_port(candidates, port, pool) := pieced([rule |
	some rule in candidates
	not shadowed(rule, port, pool)
]) if {
	addresses.covers_internet(spans_of(candidates))
}

spans_of(rules) := [span | some rule in rules; some span in object.get(rule, "peerSpans", [])]

any_from_internet(rules) if {
	some rule in rules
	from_internet(rule)
}

# For messages: the address peers of the rules, and their labels.
pieces_text(rules) := concat(", ", sort({peer |
	some rule in rules
	some peer in rule.peers
	regex.match(`^[0-9a-fA-F.:]+(/[0-9]+)?$`, peer)
}))

rule_labels(rules) := concat(", ", sort({rule_label(rule) | some rule in rules}))

port_text(rule) := "all ports" if rule.ports == null

port_text(rule) := concat(", ", [range_text(r) | some r in rule.ports]) if rule.ports != null

range_text(r) := text.join([r.from]) if r.from == r.to

range_text(r) := text.join([r.from, "-", r.to]) if r.from != r.to

# A rule's name quoted for messages.
rule_label(rule) := text.join(["'", rule.name, "'"]) if is_string(rule.name)

rule_label(rule) := "(unnamed)" if not is_string(rule.name)

# What a rule admits, for messages: "tcp 22", "udp all ports", "all traffic".
scope_text(rule) := "all traffic" if all_traffic(rule)

scope_text(rule) := text.join([rule.protocol, " ", port_text(rule)]) if {
	not all_traffic(rule)
}

all_traffic(rule) if {
	rule.protocol == "all"
	rule.ports == null
}
