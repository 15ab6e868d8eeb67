package drift.rules.storage.versioning_test

import data.drift.rules.storage.versioning as rule
import data.drift.test.fixtures

test_versioning_off_is_flagged_on_every_cloud if {
	every provider in ["aws", "azure", "gcp"] {
		count(rule.deny) == 1 with input.resource as fixtures.bucket(provider, "b", {"versioning": {"enabled": false}})
	}
}

test_versioning_on_or_unknown_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("aws", "b", {"versioning": {"enabled": true}})
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "b", {})
}

test_message_names_the_bucket if {
	some violation in rule.deny with input.resource as fixtures.bucket("gcp", "logs", {"versioning": {"enabled": false}})
	violation.message == "Cloud Storage bucket 'logs' does not keep object versions. Versioning must be enabled."
}
