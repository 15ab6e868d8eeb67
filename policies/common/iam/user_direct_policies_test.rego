package drift.rules.iam.user_direct_policies_test

import data.drift.rules.iam.user_direct_policies as rule
import data.drift.test.fixtures

user(properties) := fixtures.iam_policy("aws", "AWS::IAM::User", "alice", object.union({"principalType": "user"}, properties))

readonly := [{"id": "arn:aws:iam::aws:policy/ReadOnlyAccess", "name": "ReadOnlyAccess"}]

test_attached_policy_is_flagged if {
	some violation in rule.deny with input.resource as user({"attachedPolicies": readonly})
	violation.message == "IAM user 'alice' holds policies of its own instead of through groups: arn:aws:iam::aws:policy/ReadOnlyAccess."
}

test_inline_policy_is_flagged if {
	some violation in rule.deny with input.resource as user({"attachedPolicies": [], "statements": [fixtures.statement({"source": "inline:deploy"})]})
	violation.details.policies == ["inline:deploy"]
}

test_user_without_policies_roles_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as user({"attachedPolicies": []})
	count(rule.deny) == 0 with input.resource as user({"attachedPolicies": null})
	role := fixtures.iam_policy("aws", "AWS::IAM::Role", "ops", {"principalType": "role", "attachedPolicies": readonly})
	count(rule.deny) == 0 with input.resource as role
}
