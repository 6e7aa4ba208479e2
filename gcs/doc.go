// Package gcs is Vigil's domain: vehicles and their state, pose history, mission items,
// parameters and the files they travel in; the camera model and geotagging (over flat
// ground or SRTM terrain), target fusion, zones and alerts, incidents, and the exports
// (GeoJSON, KML, CSV, Cursor on Target). It is pure Go (no cgo) and never imports the
// adapters (mavlink, vision, ui): they depend on it, not the reverse. The mission record
// (SQLite) is the sub-package store.
package gcs
