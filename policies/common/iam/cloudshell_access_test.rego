package drift.rules.iam.cloudshell_access_test

import data.drift.rules.iam.cloudshell_access as rule
import data.drift.test.fixtures

attached(arn) := [{"id": arn, "name": null}]

role(policies) := fixtures.iam_policy("aws", "AWS::IAM::Role", "ops", {"principalType": "role", "attachedPolicies": policies})

test_cloudshell_full_access_is_flagged if {
	some violation in rule.deny with input.resource as role(attached("arn:aws:iam::aws:policy/AWSCloudShellFullAccess"))
	violation.message == "IAM role 'ops' has AWSCloudShellFullAccess attached."
}

test_other_policies_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as role(attached("arn:aws:iam::aws:policy/AWSCloudShellPowerUser"))
	count(rule.deny) == 0 with input.resource as role(null)
	count(rule.deny) == 0 with input.resource as role([])
}
