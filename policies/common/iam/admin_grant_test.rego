package drift.rules.iam.admin_grant_test

import data.drift.rules.iam.admin_grant as rule
import data.drift.test.fixtures

star := fixtures.statement({"actions": ["*"], "resources": ["*"], "source": "managed:arn:aws:iam::123456789012:policy/ops", "sid": "All"})

test_aws_policy_allowing_star_on_star_is_flagged if {
	policy := fixtures.iam_policy("aws", "AWS::IAM::Policy", "ops", {"statements": [star]})
	some violation in rule.deny with input.resource as policy
	violation.details.causes == ["IAM policy 'ops' allows * on * (managed:arn:aws:iam::123456789012:policy/ops 'All')."]
}

test_aws_star_actions_on_one_resource_or_a_deny_is_not_admin if {
	scoped := object.union(star, {"resources": ["arn:aws:s3:::b"]})
	denied := object.union(star, {"effect": "Deny"})
	policy := fixtures.iam_policy("aws", "AWS::IAM::Policy", "p", {"statements": [scoped, denied]})
	count(rule.deny) == 0 with input.resource as policy
}

test_aws_user_with_administrator_access_attached_is_flagged if {
	attached := [{"id": "arn:aws:iam::aws:policy/AdministratorAccess", "name": "AdministratorAccess"}]
	user := fixtures.iam_policy("aws", "AWS::IAM::User", "alice", {"principalType": "user", "attachedPolicies": attached})
	some violation in rule.deny with input.resource as user
	violation.details.causes == ["IAM user 'alice' has arn:aws:iam::aws:policy/AdministratorAccess attached."]
}

test_aws_read_only_user_is_compliant if {
	attached := [{"id": "arn:aws:iam::aws:policy/ReadOnlyAccess", "name": "ReadOnlyAccess"}]
	user := fixtures.iam_policy("aws", "AWS::IAM::User", "bob", {"principalType": "user", "attachedPolicies": attached})
	count(rule.deny) == 0 with input.resource as user
}

test_azure_custom_role_with_star_actions_is_flagged if {
	role := fixtures.iam_policy("azure", "Microsoft.Authorization/roleDefinitions", "Everything", {
		"principalType": "roleDefinition", "managedBy": "CustomRole",
		"statements": [fixtures.statement({"actions": ["*"], "resources": ["/subscriptions/x"], "source": "roleDefinition"})],
	})
	some violation in rule.deny with input.resource as role
	violation.message == "Role definition 'Everything' grants full administrative access."
}

test_azure_built_in_owner_and_narrow_custom_roles_are_not_flagged if {
	owner := fixtures.iam_policy("azure", "Microsoft.Authorization/roleDefinitions", "Owner", {
		"principalType": "roleDefinition", "managedBy": "BuiltInRole",
		"statements": [fixtures.statement({"actions": ["*"], "source": "roleDefinition"})],
	})
	count(rule.deny) == 0 with input.resource as owner
	reader := fixtures.iam_policy("azure", "Microsoft.Authorization/roleDefinitions", "Reader+", {
		"principalType": "roleDefinition", "managedBy": "CustomRole",
		"statements": [fixtures.statement({"actions": ["*/read"], "source": "roleDefinition"})],
	})
	count(rule.deny) == 0 with input.resource as reader
}

test_gcp_owner_granted_to_a_service_account_is_flagged if {
	members := ["serviceAccount:ci@prod.iam.gserviceaccount.com", "user:root@example.com"]
	project := fixtures.iam_binding("prod", [{"role": "roles/owner", "members": members, "condition": null}])
	some violation in rule.deny with input.resource as project
	violation.details.causes == ["Project 'prod' grants roles/owner to serviceAccount:ci@prod.iam.gserviceaccount.com."]
}

test_gcp_editor_granted_to_the_public_is_flagged if {
	project := fixtures.iam_binding("prod", [{"role": "roles/editor", "members": ["allAuthenticatedUsers"], "condition": null}])
	count(rule.deny) == 1 with input.resource as project
}

test_gcp_owner_granted_to_a_user_and_unknown_bindings_are_compliant if {
	project := fixtures.iam_binding("prod", [{"role": "roles/owner", "members": ["user:root@example.com"], "condition": null}])
	count(rule.deny) == 0 with input.resource as project
	count(rule.deny) == 0 with input.resource as fixtures.iam_binding("prod", null)
}
