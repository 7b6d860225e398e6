// Package layout has no code: its tests keep the shape of the module — which
// package may depend on which, and what each Lambda binary links — so a
// wrong import fails `make test` instead of surfacing in a review.
package layout
