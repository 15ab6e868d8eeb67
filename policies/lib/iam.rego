# METADATA
# title: IAM helpers
# description: Decoded policy statements and IAM bindings (normalized shapes from libs/resource-model).
package drift.lib.iam

import data.drift.lib.text

public_members := {"allUsers", "allAuthenticatedUsers"}

# Condition keys that pin a statement to known callers, so a "*" principal is
# not public. From "The meaning of public" in the S3 Block Public Access docs
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
# plus the KMS keys AWS documents for the same purpose.
restricting_keys := {
	"aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceaccount",
	"aws:sourceowner", "aws:principalorgid", "aws:principalaccount", "aws:principalarn",
	"aws:userid", "aws:sourceip", "aws:principalorgpaths",
	"s3:dataaccesspointarn", "s3:dataaccesspointaccount",
	"kms:calleraccount", "kms:viaservice", "lambda:functionarn",
}

everyone(principal) if principal.id == "*"

everyone(principal) if principal.id == "arn:aws:iam::*:root"

to_everyone(statement) if {
	some principal in statement.principals
	everyone(principal)
}

# A condition restricts when it fixes a restricting key to fixed values only: S3 counts
# a value as fixed when it holds no wildcard ("*" or "?") and no policy variable
# ("${aws:username}"), so `StringLike aws:SourceVpce "vpce-*"` leaves a statement public
# ("The meaning of public",
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
restricted(statement) if {
	some operator, keys in statement.conditions
	not startswith(lower(operator), "forany")
	some key, values in keys
	lower(key) in restricting_keys
	count(values) > 0
	every value in values {
		fixed_value(value)
	}
}

fixed_value(value) if is_number(value)

fixed_value(value) if {
	is_string(value)
	not contains(value, "*")
	not contains(value, "?")
	not contains(value, "${")
	not value in {"0.0.0.0/0", "::/0"}
}

# Allow statements that grant something to anyone on the internet.
public_allows(statements) := [s |
	some s in statements
	s.effect == "Allow"
	to_everyone(s)
	not restricted(s)
]

wildcard_action(s) if {
	some action in s.actions
	action in {"*", "*:*"}
}

wildcard_resource(s) if {
	some resource in s.resources
	resource == "*"
}

# Allow "*" on "*": full administrative power.
admin_statements(statements) := [s |
	some s in statements
	s.effect == "Allow"
	wildcard_action(s)
	wildcard_resource(s)
]

public_bindings(bindings) := [{"role": b.role, "member": m} |
	some b in bindings
	some m in b.members
	m in public_members
]

# " 'Sid'" when the statement has a Sid, else "", for messages.
sid_suffix(s) := text.join([" '", s.sid, "'"]) if is_string(s.sid)

sid_suffix(s) := "" if not is_string(s.sid)

# What a statement allows, for messages: its actions, or "everything except …" for NotAction.
actions_text(s) := concat(", ", s.actions) if is_array(s.actions)

actions_text(s) := text.join(["every action except ", concat(", ", s.notActions)]) if {
	not is_array(s.actions)
	is_array(s.notActions)
}

actions_text(s) := "no action" if {
	not is_array(s.actions)
	not is_array(s.notActions)
}
