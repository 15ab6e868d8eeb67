# METADATA
# title: Message text
# description: |
#   Builds messages inside the compiled policy. Compiled to wasm, concat and
#   format_int run in the module while sprintf is a call out to the JavaScript
#   host and back, several times the cost, paid for every message and cause of
#   every violation (see the engines bench).
package drift.lib.text

# One text from its pieces: strings as they are, integers in decimal, anything
# else as sprintf's %v prints it.
join(pieces) := concat("", [piece(p) | some p in pieces])

piece(p) := p if is_string(p)

piece(p) := format_int(p, 10) if integer(p)

piece(p) := sprintf("%v", [p]) if {
	not is_string(p)
	not integer(p)
}

integer(p) if {
	is_number(p)
	p == floor(p)
}
