package drift.rules.iam.service_account_impersonation_test

import data.drift.rules.iam.service_account_impersonation as rule
import data.drift.test.fixtures

binding(role, members) := {"role": role, "members": members, "condition": null}

test_user_with_service_account_user_on_the_project_is_flagged if {
	resource := fixtures.iam_binding("shop-prod", [binding("roles/iam.serviceAccountUser", ["user:ana@acme.example"])])
	some violation in rule.deny with input.resource as resource
	violation.message == concat("", [
		"Project 'shop-prod' lets people act as every service account in it: ",
		"user:ana@acme.example has roles/iam.serviceAccountUser.",
	])
}

test_group_with_token_creator_is_flagged if {
	grant := binding("roles/iam.serviceAccountTokenCreator", ["group:ops@acme.example"])
	count(rule.deny) == 1 with input.resource as fixtures.iam_binding("shop-prod", [grant])
}

test_service_accounts_other_roles_and_account_level_grants_are_compliant if {
	workload := binding("roles/iam.serviceAccountUser", ["serviceAccount:ci@shop-prod.iam.gserviceaccount.com"])
	count(rule.deny) == 0 with input.resource as fixtures.iam_binding("shop-prod", [workload])
	viewer := binding("roles/viewer", ["user:ana@acme.example"])
	count(rule.deny) == 0 with input.resource as fixtures.iam_binding("shop-prod", [viewer])
	on_account := object.union(
		fixtures.iam_binding("ci", [binding("roles/iam.serviceAccountUser", ["user:ana@acme.example"])]),
		{"nativeType": "iam.googleapis.com/ServiceAccount"},
	)
	count(rule.deny) == 0 with input.resource as on_account
}
