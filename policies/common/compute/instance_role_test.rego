package drift.rules.compute.instance_role_test

import data.drift.rules.compute.instance_role as rule
import data.drift.test.fixtures

test_instance_without_profile_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.instance("web", {"identities": []})
	violation.message == "EC2 instance 'web' has no instance profile: software on it needs stored keys to call AWS."
}

test_profile_unknown_and_gcp_instances_are_compliant if {
	profile := "arn:aws:iam::123456789012:instance-profile/web"
	count(rule.deny) == 0 with input.resource as fixtures.instance("web", {"identities": [profile]})
	count(rule.deny) == 0 with input.resource as fixtures.instance("web", {})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("web", {"identities": []})
}
