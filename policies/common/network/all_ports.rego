# METADATA
# title: All ports open to the internet
# description: |
#   Every port of a protocol with ports (TCP, UDP, SCTP, DCCP, UDP-Lite), or
#   every protocol, is reachable from anywhere: AWS ipProtocol -1 or a 0-65535
#   range, Azure "*" ports, GCP "all" or such a protocol without ports, from
#   0.0.0.0/0 or ::/0, or from ranges that together hold every address — unless
#   a higher-priority deny from the internet shadows it. ICMP, ESP, AH, GRE
#   and other protocols without ports are never "all ports": a rule admitting
#   only them opens no port.
# custom:
#   id: DD-NET-002
#   severity: CRITICAL
#   kinds: [network.firewall]
#   frameworks:
#     cis-aws-3.0: ["5.2", "5.3"]
#     cis-azure-3.0: ["7.1", "7.2", "7.3"]
#     cis-gcp-3.0: ["3.6", "3.7"]
#     nist-800-53: ["SC-7", "CM-7"]
#   remediation:
#     default: Replace the rule with rules that open only the ports the workload serves, to the addresses that need them.
package drift.rules.network.all_ports

import data.drift.lib.addresses
import data.drift.lib.labels
import data.drift.lib.network
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

rules := resource.properties.rules

# A deny that leaves any port open still leaves "all ports" open, so only a
# higher-priority deny covering every port shadows such a rule.
open_rules contains rule if {
	some rule in rules
	network.active_ingress(rule)
	rule.action == "allow"
	network.from_internet(rule)
	network.all_ports(rule)
	not shadowed_everywhere(rule)
}

shadowed_everywhere(rule) if network.shadowed(rule, "all", pool)

# The denies that may shadow the allows, this resource's, its network's and
# the firewall policies' above it.
pool := network.deny_pool(resource.properties)

# Rules opening every port of a protocol (or every protocol) to pieces of the
# internet that add up to all of it. A rule of every protocol counts toward
# each protocol's pieces.
candidate_rules contains rule if {
	some rule in rules
	network.active_ingress(rule)
	rule.action == "allow"
	network.all_ports(rule)
	not shadowed_everywhere(rule)
}

# All the candidates together cover the internet: only then can any protocol's
# pieces, which most rule sets do not hold, be worked out.
candidates_cover_internet if addresses.covers_internet(network.spans_of(candidate_rules))

pieced_protocols[protocol] := pieces if {
	candidates_cover_internet
	some protocol in {rule.protocol | some rule in candidate_rules}
	not all_traffic_pieced(protocol)
	pieces := network.pieced([rule | some rule in candidate_rules; rule.protocol in {protocol, "all"}])
}

# Rules of every protocol that cover the internet by themselves are reported
# once, as all traffic, not again under each protocol beside them.
all_traffic_pieced(protocol) if {
	protocol != "all"
	network.pieced([rule | some rule in candidate_rules; rule.protocol == "all"])
}

causes contains message if {
	some protocol, pieces in pieced_protocols
	message := text.join([
		labels.describe(resource), " allows ", protocol_text({"protocol": protocol}),
		" on all ports from the whole internet in pieces (", network.pieces_text(pieces),
		") through rule(s) ", network.rule_labels(pieces), ".",
	])
}

causes contains message if {
	some rule in open_rules
	peers := concat(" and ", network.internet_peers_of(rule))
	message := text.join([
		labels.describe(resource), " allows ", protocol_text(rule), " on all ports from ", peers,
		" through rule ", network.rule_label(rule), ".",
	])
}

protocol_text(rule) := "all traffic" if rule.protocol == "all"

protocol_text(rule) := upper(rule.protocol) if rule.protocol != "all"

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "network.firewall"
	not network.shadowing_unknown(resource.properties)
	count(causes) > 0
	message := text.join([labels.describe(resource), " opens every port to the internet."])
}
