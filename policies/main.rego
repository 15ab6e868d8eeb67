# METADATA
# title: Drift Detective policy entrypoints
# description: |
#   Gathers every rule package under data.drift.rules.<group>.<name>. A rule
#   package is found by its path, not by a registry: it defines `rule_id` (read
#   from its own METADATA) and a `deny` set of {message, details} objects.
package drift.main

# METADATA
# description: Every violation of input.resource, one per rule, with the rule's id.
# entrypoint: true
violations contains object.union(violation, {"rule_id": rule.rule_id}) if {
	some group in data.drift.rules
	some rule in group
	some violation in rule.deny
}

# METADATA
# description: Every rule id this bundle can return; the engine checks each has metadata.
# entrypoint: true
rule_ids contains rule.rule_id if {
	some group in data.drift.rules
	some rule in group
}
