//go:build tools

// Package tools records the OPA command as a dependency of this module so that
// `go install github.com/open-policy-agent/opa` builds the pinned version.
package tools

import _ "github.com/open-policy-agent/opa"
