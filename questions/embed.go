// Package questions holds the versioned RASP question bank as reviewable
// YAML. Each version lives in its own folder (v1, v2, ...); package bank
// loads and validates them. See README.md for the layout.
package questions

import "embed"

// FS holds every version folder of the question bank. Add a new version
// folder to the go:embed line below when you create it.
//
//go:embed v1 v2
var FS embed.FS
