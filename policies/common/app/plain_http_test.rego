package drift.rules.app.plain_http_test

import data.drift.rules.app.plain_http as rule
import data.drift.test.fixtures

test_app_accepting_http_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.function("azure", "shop", {"httpsOnly": false})
	violation.message == "App 'shop' accepts plain HTTP."
}

test_function_with_optional_https_is_flagged if {
	count(rule.deny) == 1 with input.resource as fixtures.function("gcp", "resize", {"httpsOnly": false})
}

test_https_only_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.function("azure", "shop", {"httpsOnly": true})
	count(rule.deny) == 0 with input.resource as fixtures.function("aws", "resize", {})
}
