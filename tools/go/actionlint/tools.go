//go:build tools

// Package tools records the actionlint command as a dependency of this module
// so that `go install github.com/rhysd/actionlint/cmd/actionlint` builds the
// pinned version.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
