# METADATA
# title: Address helpers
# description: |
#   Whether blocks of addresses (AddressSpan: fixed-width hex, end exclusive)
#   together cover a whole address family, so that "0.0.0.0/1" plus
#   "128.0.0.0/1", or several rules or firewall ranges of one resource, count
#   as the whole internet.
package drift.lib.addresses

# The start and the (exclusive) end of each family's whole space, in the
# model's fixed width: 9 hex digits for IPv4, 33 for IPv6.
space := {
	"ipv4": {"start": "000000000", "end": "100000000"},
	"ipv6": {"start": "000000000000000000000000000000000", "end": "100000000000000000000000000000000"},
}

# The spans cover every address of the family when one starts at the start of
# the space and, past the end of every span that stops short of the top,
# another span goes on. (The smallest address left out would lie just past
# the end of some span, or at the start.)
covers_family(spans, family) if {
	of_family := [s | some s in spans; s.family == family]
	some first in of_family
	first.start == space[family].start
	every s in of_family {
		continued(s, of_family, family)
	}
}

continued(s, _, family) if s.end == space[family].end

continued(s, spans, _) if {
	some t in spans
	t.start <= s.end
	t.end > s.end
}

# Every IPv4 address, or every IPv6 address.
covers_internet(spans) if {
	some family, _ in space
	covers_family(spans, family)
}
