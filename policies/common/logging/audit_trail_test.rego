package drift.rules.logging.audit_trail_test

import data.drift.rules.logging.audit_trail as rule
import data.drift.test.fixtures

test_single_region_trail_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.trail("main", {"multiRegion": false})
	violation.details.causes == ["CloudTrail trail 'main' records only its home region; it must be multi-region."]
}

test_stopped_trail_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.trail("main", {"logging": false, "multiRegion": true})
}

test_multi_region_trail_with_unknown_logging_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.trail("main", {"multiRegion": true})
}
