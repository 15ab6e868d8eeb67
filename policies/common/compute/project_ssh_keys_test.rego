package drift.rules.compute.project_ssh_keys_test

import data.drift.rules.compute.project_ssh_keys as rule
import data.drift.test.fixtures

test_project_keys_accepted_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.gcp_instance("vm-1", {"projectSshKeysBlocked": false})
	violation.message == "VM instance 'vm-1' accepts project-wide SSH keys (block-project-ssh-keys is not true)."
}

test_blocked_and_unknown_are_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {"projectSshKeysBlocked": true})
	count(rule.deny) == 0 with input.resource as fixtures.gcp_instance("a", {})
}
