# METADATA
# title: Administrative port open to the internet
# description: |
#   SSH (22) or RDP (3389) is reachable from anywhere (0.0.0.0/0 or ::/0), by
#   one rule or by the ranges of several rules (or of one rule) that together
#   hold every IPv4 or every IPv6 address.
#   Rules apply in priority order and the first match wins, so an allow below a
#   higher-priority deny from the internet admits nothing; outbound rules never
#   expose a port; disabled rules admit nothing.
# custom:
#   id: DD-NET-001
#   severity: HIGH
#   kinds: [network.firewall]
#   frameworks:
#     cis-aws-3.0: ["5.2", "5.3"]
#     cis-azure-3.0: ["7.1", "7.2"]
#     cis-gcp-3.0: ["3.6", "3.7"]
#     nist-800-53: ["SC-7", "CM-7", "AC-17"]
#   remediation:
#     aws: >-
#       Remove the ingress rule from 0.0.0.0/0 or ::/0 on port 22/3389; reach
#       instances through SSM Session Manager or a bastion with a narrow CIDR.
#     azure: Delete or narrow the inbound Allow rule from Internet/* on port 22/3389; use Azure Bastion or just-in-time VM access.
#     gcp: Narrow the firewall rule's source ranges, or use IAP TCP forwarding (35.235.240.0/20).
#     default: Restrict administrative ports to known addresses.
package drift.rules.network.admin_ports

import data.drift.lib.labels
import data.drift.lib.network
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

rules := resource.properties.rules

# The denies that may shadow the allows, this resource's and its network's.
pool := network.deny_pool(resource.properties)

# The allow rules that cover each admin port, found once (a rule's value is
# kept for the evaluation, a function's result is not): the exposures from the
# whole internet and from its pieces read the same lists.
candidates[port] := network.port_candidates(rules, port) if some port, _ in network.admin_ports

# Each admin port with each rule that exposes it, found once: the causes and
# the ports read the same pairs.
exposures contains {"port": port, "service": service, "rule": rule} if {
	some port, service in network.admin_ports
	some rule in candidates[port]
	network.from_internet(rule)
	not network.shadowed(rule, port, pool)
}

# The same port admitted from the whole internet in pieces, by one rule's
# ranges or several rules' together.
pieced_exposures contains {"port": port, "service": service, "rules": rules_of_port} if {
	some port, service in network.admin_ports
	rules_of_port := network.pieced_for_port(candidates[port], port, pool)
}

causes contains text.join([
	labels.describe(resource), " allows ", exposure.service, " (", exposure.port, ") from ",
	concat(" and ", network.internet_peers_of(exposure.rule)), " through rule ",
	network.rule_label(exposure.rule), " (", network.scope_text(exposure.rule), ").",
]) if {
	some exposure in exposures
}

causes contains text.join([
	labels.describe(resource), " allows ", exposure.service, " (", exposure.port,
	") from the whole internet in pieces (", network.pieces_text(exposure.rules), ") through rule(s) ",
	network.rule_labels(exposure.rules), ".",
]) if {
	some exposure in pieced_exposures
}

exposed_ports contains exposure.port if some exposure in exposures

exposed_ports contains exposure.port if some exposure in pieced_exposures

deny contains {"message": message, "details": {"causes": sort(causes), "ports": sort(exposed_ports)}} if {
	resource.kind == "network.firewall"
	not network.shadowing_unknown(resource.properties)
	count(causes) > 0
	ports := concat(", ", [text.join([port]) | some port in sort(exposed_ports)])
	message := text.join([labels.describe(resource), " exposes administrative port(s) ", ports, " to the internet."])
}
