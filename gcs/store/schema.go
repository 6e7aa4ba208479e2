package store

// migrations[v] brings a record's schema from version v to v+1 (PRAGMA user_version).
// Never change a released step: add a new one. Times are Unix nanoseconds (UTC), positions
// degrees (WGS84), lengths metres.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE vehicles (
	sysid      INTEGER PRIMARY KEY,
	type       INTEGER NOT NULL,
	autopilot  INTEGER NOT NULL,
	first_seen INTEGER,
	last_seen  INTEGER,
	lon        REAL, -- last known position, NULL until there is one
	lat        REAL,
	alt_msl_m  REAL,
	alt_rel_m  REAL
);

CREATE TABLE detections (
	id            INTEGER PRIMARY KEY,
	time          INTEGER NOT NULL,
	sysid         INTEGER NOT NULL,
	stream        TEXT NOT NULL,
	track         INTEGER NOT NULL,
	class         TEXT NOT NULL,
	score         REAL NOT NULL,
	box_min_u     REAL NOT NULL,
	box_min_v     REAL NOT NULL,
	box_max_u     REAL NOT NULL,
	box_max_v     REAL NOT NULL,
	located       INTEGER NOT NULL,
	lon           REAL,
	lat           REAL,
	alt_msl_m     REAL,
	range_m       REAL,
	off_nadir_deg REAL,
	err_major_m   REAL,
	err_minor_m   REAL,
	err_dir_deg   REAL,
	weak          INTEGER NOT NULL,
	snapshot      TEXT NOT NULL,
	target_id     INTEGER
);
-- Detections are stored as they are made, so ID order is capture order to within the
-- detector's latency; an index on time would halve the insert rate for little use.
CREATE INDEX detections_target ON detections(target_id);

CREATE TABLE targets (
	id             INTEGER PRIMARY KEY,
	class          TEXT NOT NULL,
	lon            REAL NOT NULL,
	lat            REAL NOT NULL,
	alt_msl_m      REAL NOT NULL,
	cov_nn         REAL NOT NULL,
	cov_ne         REAL NOT NULL,
	cov_ee         REAL NOT NULL,
	error_m        REAL NOT NULL,
	weak           INTEGER NOT NULL,
	first_seen     INTEGER,
	last_seen      INTEGER,
	sightings      INTEGER NOT NULL,
	best_score     REAL NOT NULL,
	snapshot       TEXT NOT NULL,
	best_detection INTEGER NOT NULL,
	tracks         TEXT NOT NULL -- JSON list of {sysid, stream, track}
);

CREATE TABLE zones (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	polygon TEXT NOT NULL, -- JSON rings of [lon, lat]
	rules   TEXT NOT NULL  -- JSON list of rules as ParseZoneRule reads them
);

CREATE TABLE alerts (
	id        INTEGER PRIMARY KEY,
	time      INTEGER NOT NULL,
	zone_id   INTEGER NOT NULL,
	zone_name TEXT NOT NULL,
	rule      TEXT NOT NULL,
	targets   TEXT NOT NULL, -- JSON list of target ids
	message   TEXT NOT NULL,
	ack_time  INTEGER
);

CREATE TABLE incidents (
	id        INTEGER PRIMARY KEY,
	time      INTEGER NOT NULL,
	target_id INTEGER NOT NULL,
	lon       REAL NOT NULL,
	lat       REAL NOT NULL,
	category  TEXT NOT NULL,
	severity  INTEGER NOT NULL,
	note      TEXT NOT NULL
);

CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	time        INTEGER NOT NULL,
	sysid       INTEGER NOT NULL,
	command     TEXT NOT NULL,
	result      INTEGER, -- gcs.CommandResult; NULL until the vehicle answered (or did not)
	reason      TEXT NOT NULL,
	answer_time INTEGER
);
`,
}
