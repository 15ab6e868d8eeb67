package drift.rules.storage.secure_transport_test

import data.drift.rules.storage.secure_transport as rule
import data.drift.test.fixtures

transport(https_only, tls) := {"transport": {"httpsOnly": https_only, "minimumTlsVersion": tls}}

test_aws_bucket_without_secure_transport_deny_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.s3_bucket("b", transport(false, null))
	violation.details.causes == ["S3 bucket 'b' accepts plain HTTP: no bucket policy statement denies aws:SecureTransport false."]
}

test_aws_bucket_with_secure_transport_deny_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.s3_bucket("b", transport(true, null))
}

test_azure_account_allowing_http_and_tls10_reports_both if {
	account := fixtures.bucket("azure", "a", transport(false, "TLS1_0"))
	some violation in rule.deny with input.resource as account
	violation.details.causes == [
		"Storage account 'a' accepts TLS1_0. The minimum TLS version must be TLS1_2.",
		"Storage account 'a' accepts plain HTTP: supportsHttpsTrafficOnly must be true.",
	]
}

test_azure_account_https_only_with_tls12_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "a", transport(true, "TLS1_2"))
}

test_unknown_transport_decides_nothing if {
	count(rule.deny) == 0 with input.resource as fixtures.bucket("azure", "a", {})
}
