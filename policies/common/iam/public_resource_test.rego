package drift.rules.iam.public_resource_test

import data.drift.rules.iam.public_resource as rule
import data.drift.test.fixtures

invoke_by_anyone := fixtures.statement({
	"source": "resourcePolicy", "sid": "open", "actions": ["lambda:InvokeFunction"],
	"principals": [{"type": "*", "id": "*"}],
})

test_aws_lambda_invocable_by_anyone_is_flagged if {
	fn := fixtures.function("aws", "resize", {"policy": [invoke_by_anyone]})
	some violation in rule.deny with input.resource as fn
	violation.details.causes == ["Lambda function 'resize' has a policy statement 'open' that allows lambda:InvokeFunction to anyone."]
}

test_aws_lambda_restricted_to_a_source_arn_is_compliant if {
	restricted := object.union(invoke_by_anyone, {
		"principals": [{"type": "Service", "id": "s3.amazonaws.com"}],
		"conditions": {"ArnLike": {"AWS:SourceArn": ["arn:aws:s3:::uploads"]}},
	})
	count(rule.deny) == 0 with input.resource as fixtures.function("aws", "resize", {"policy": [restricted]})
	star_restricted := object.union(invoke_by_anyone, {"conditions": {"StringEquals": {"aws:SourceAccount": ["123456789012"]}}})
	count(rule.deny) == 0 with input.resource as fixtures.function("aws", "resize", {"policy": [star_restricted]})
}

# The key policy AWS writes for keys used through a service: "*" pinned by kms:CallerAccount.
test_aws_kms_key_policy_pinned_by_caller_account_is_not_public if {
	statement := fixtures.statement({
		"source": "keyPolicy", "actions": ["kms:Decrypt"], "principals": [{"type": "AWS", "id": "*"}],
		"conditions": {"StringEquals": {"kms:CallerAccount": ["123456789012"], "kms:ViaService": ["s3.us-east-1.amazonaws.com"]}},
	})
	count(rule.deny) == 0 with input.resource as fixtures.kms_key("aws", "k", {"policy": [statement]})
}

test_aws_kms_key_policy_open_to_every_account_root_is_public if {
	statement := fixtures.statement({"source": "keyPolicy", "actions": ["kms:*"], "principals": [{"type": "AWS", "id": "arn:aws:iam::*:root"}]})
	count(rule.deny) == 1 with input.resource as fixtures.kms_key("aws", "k", {"policy": [statement]})
}

test_gcp_project_binding_to_all_users_is_flagged if {
	project := fixtures.iam_binding("prod", [{"role": "roles/viewer", "members": ["allUsers"], "condition": null}])
	some violation in rule.deny with input.resource as project
	violation.details.causes == ["Project 'prod' grants roles/viewer to allUsers."]
}

test_gcp_public_function_is_flagged if {
	bindings := [{"role": "roles/cloudfunctions.invoker", "members": ["allUsers"], "condition": null}]
	count(rule.deny) == 1 with input.resource as fixtures.function("gcp", "hook", {"iamBindings": bindings})
}

test_buckets_are_left_to_the_storage_rule if {
	bindings := [{"role": "roles/storage.objectViewer", "members": ["allUsers"], "condition": null}]
	count(rule.deny) == 0 with input.resource as fixtures.bucket("gcp", "site", {"iamBindings": bindings})
}

test_private_bindings_are_compliant if {
	project := fixtures.iam_binding("prod", [{"role": "roles/viewer", "members": ["group:eng@example.com"], "condition": null}])
	count(rule.deny) == 0 with input.resource as project
}
