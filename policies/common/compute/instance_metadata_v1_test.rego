package drift.rules.compute.instance_metadata_v1_test

import data.drift.rules.compute.instance_metadata_v1 as rule
import data.drift.test.fixtures

test_optional_tokens_are_flagged if {
	some violation in rule.deny with input.resource as fixtures.instance("web-1", {"metadataTokensRequired": false})
	violation.message == "EC2 instance 'web-1' allows IMDSv1. httpTokens must be required."
}

test_required_tokens_disabled_endpoint_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.instance("i", {"metadataTokensRequired": true})
	disabled := fixtures.instance("i", {"metadataTokensRequired": false, "metadataEndpointEnabled": false})
	count(rule.deny) == 0 with input.resource as disabled
	count(rule.deny) == 0 with input.resource as fixtures.instance("i", {})
}
