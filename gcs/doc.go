// Package gcs is Vigil's domain: vehicles and their state, pose history, mission items,
// parameters and the files they travel in. It is pure Go (no cgo) and never imports the
// adapters (mavlink, vision, ui): they depend on it, not the reverse.
package gcs
