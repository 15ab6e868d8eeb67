package drift.lib.addresses_test

import data.drift.lib.addresses

# Spans as the model writes them (addressSpan in libs/resource-model).
v4_all := {"family": "ipv4", "start": "000000000", "end": "100000000"}

v4_low_half := {"family": "ipv4", "start": "000000000", "end": "080000000"}

v4_high_half := {"family": "ipv4", "start": "080000000", "end": "100000000"}

# 128.0.0.0/2 and 192.0.0.0/2
v4_third_quarter := {"family": "ipv4", "start": "080000000", "end": "0c0000000"}

v4_fourth_quarter := {"family": "ipv4", "start": "0c0000000", "end": "100000000"}

# 10.0.0.0/8
v4_private := {"family": "ipv4", "start": "00a000000", "end": "00b000000"}

v6_low_half := {"family": "ipv6", "start": "000000000000000000000000000000000", "end": "080000000000000000000000000000000"}

v6_high_half := {"family": "ipv6", "start": "080000000000000000000000000000000", "end": "100000000000000000000000000000000"}

test_one_span_of_the_whole_space_covers_it if {
	addresses.covers_internet([v4_all])
}

test_halves_cover_the_space_in_any_order if {
	addresses.covers_internet([v4_low_half, v4_high_half])
	addresses.covers_internet([v4_high_half, v4_private, v4_low_half])
	addresses.covers_internet([v6_high_half, v6_low_half])
}

test_overlapping_and_nested_pieces_still_cover if {
	addresses.covers_internet([v4_third_quarter, v4_private, v4_low_half, v4_fourth_quarter])
}

test_a_gap_anywhere_is_not_the_whole_space if {
	not addresses.covers_internet([v4_low_half])
	not addresses.covers_internet([v4_low_half, v4_fourth_quarter])
	not addresses.covers_internet([v4_high_half, v4_private])
	not addresses.covers_internet([])
}

test_families_do_not_add_up if {
	not addresses.covers_internet([v4_low_half, v6_high_half])
}

# The space ends at 2^32: a span from 0 to 0xffffffff leaves the last address out.
test_the_last_address_counts if {
	not addresses.covers_internet([{"family": "ipv4", "start": "000000000", "end": "0ffffffff"}])
}
