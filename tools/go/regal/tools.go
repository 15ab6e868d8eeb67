//go:build tools

// Package tools records the Regal command as a dependency of this module so
// that `go install github.com/styrainc/regal` builds the pinned version.
package tools

import _ "github.com/styrainc/regal"
