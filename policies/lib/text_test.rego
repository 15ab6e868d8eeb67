package drift.lib.text_test

import data.drift.lib.text

test_join_reads_like_the_sprintf_it_replaces if {
	text.join(["SSH (", 22, ") from ", "0.0.0.0/0", "."]) == sprintf("SSH (%d) from %s.", [22, "0.0.0.0/0"])
	text.join([-3, " of ", 4]) == "-3 of 4"
	text.join([]) == ""
}

test_join_prints_what_is_neither_a_string_nor_an_integer if {
	text.join(["ratio ", 0.5, " flags ", [true], " none ", null]) == "ratio 0.5 flags [true] none null"
}
