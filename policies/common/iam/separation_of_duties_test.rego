package drift.rules.iam.separation_of_duties_test

import data.drift.rules.iam.separation_of_duties as rule
import data.drift.test.fixtures

binding(role, members) := {"role": role, "members": members, "condition": null}

test_service_account_admin_and_user_together_is_flagged if {
	resource := fixtures.iam_binding("shop-prod", [
		binding("roles/iam.serviceAccountAdmin", ["user:ana@acme.example"]),
		binding("roles/iam.serviceAccountUser", ["user:ana@acme.example", "user:bo@acme.example"]),
	])
	some violation in rule.deny with input.resource as resource
	violation.message == concat("", [
		"Project 'shop-prod' does not separate duties: ",
		"user:ana@acme.example both administers and uses service accounts.",
	])
}

test_kms_admin_and_decrypter_together_is_flagged if {
	resource := fixtures.iam_binding("shop-prod", [
		binding("roles/cloudkms.admin", ["group:sec@acme.example"]),
		binding("roles/cloudkms.cryptoKeyDecrypter", ["group:sec@acme.example"]),
	])
	some violation in rule.deny with input.resource as resource
	violation.details.causes == ["group:sec@acme.example both administers and uses Cloud KMS keys"]
}

test_duties_held_by_different_people_or_workloads_are_compliant if {
	apart := fixtures.iam_binding("shop-prod", [
		binding("roles/cloudkms.admin", ["user:ana@acme.example"]),
		binding("roles/cloudkms.cryptoKeyEncrypterDecrypter", ["user:bo@acme.example"]),
		binding("roles/iam.serviceAccountAdmin", ["user:ana@acme.example"]),
	])
	count(rule.deny) == 0 with input.resource as apart
	workload := fixtures.iam_binding("shop-prod", [
		binding("roles/iam.serviceAccountAdmin", ["serviceAccount:ci@shop-prod.iam.gserviceaccount.com"]),
		binding("roles/iam.serviceAccountUser", ["serviceAccount:ci@shop-prod.iam.gserviceaccount.com"]),
	])
	count(rule.deny) == 0 with input.resource as workload
}
