// Package store is the mission record: one SQLite file per mission holding the vehicles,
// detections, targets, zones, alerts, incidents and an audit log of every operator command.
// It uses modernc.org/sqlite, a pure-Go SQLite, so the domain still builds without cgo.
//
// The file is in WAL mode with synchronous=NORMAL: a committed row survives the station
// being killed at any moment (kill -9, a crash); only a power cut or OS crash may lose the
// last transactions committed before it, never corrupt the file. A file that is not a
// Vigil record (another program's database, a damaged file) is refused with an error and
// left as it is.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

var (
	// ErrNotRecord is returned, wrapped in a sentence naming the file, for a file that
	// is not a Vigil mission record: not SQLite at all, or another program's database.
	ErrNotRecord = errors.New("not a Vigil mission record")
	// ErrCorrupt is returned, wrapped with the file name and SQLite's words, for a record
	// SQLite cannot read.
	ErrCorrupt = errors.New("mission record damaged")
	// ErrNewer is returned for a record written by a newer Vigil, whose schema this one
	// does not know.
	ErrNewer = errors.New("mission record from a newer Vigil")
)

// applicationID marks SQLite files as Vigil records (PRAGMA application_id): "VGL1".
const applicationID = 0x56474c31

// sqliteHeader starts every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Store is an open mission record. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string

	lastDetection atomic.Int64 // the highest detection ID handed out
}

// Open opens the mission record at path, creating it (and bringing an older record's
// schema up to date) as needed. It returns an error wrapping ErrNotRecord, ErrCorrupt or
// ErrNewer, naming the file, for a file it must not write to; such a file is not changed.
func Open(path string) (*Store, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("mission record %s: the file name must not contain '?'", path)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("mission record %s: %w", path, err)
		}
	}
	// Per-connection settings; journal_mode=WAL is set once the file is known to be ours.
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("mission record %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path}
	if err := s.initialize(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkHeader refuses a non-empty file that does not start like an SQLite database,
// before SQLite gets to touch it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mission record %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file: SQLite makes it a new database
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return fmt.Errorf("%s: %w: it is not an SQLite database (choose another file name; this file is left as it is)", path, ErrNotRecord)
	}
	return nil
}

func (s *Store) initialize() error {
	ctx := context.Background()
	var appID, version int64
	var tables int
	err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	}
	if err == nil {
		err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables)
	}
	if err != nil {
		return s.readError(err)
	}
	switch {
	case appID == 0 && version == 0 && tables == 0: // new
	case appID != applicationID:
		return fmt.Errorf("%s: %w: it is another program's SQLite database (application id %#x); choose another file name, this one is left as it is",
			s.path, ErrNotRecord, appID)
	case version > int64(len(migrations)):
		return fmt.Errorf("%s: %w: its schema is version %d and this Vigil knows up to %d; open it with a newer Vigil",
			s.path, ErrNewer, version, len(migrations))
	}
	// A damaged record is refused before anything is added to it. quick_check reads every
	// page (about a second per 100 MB) but not the indexes' agreement with the tables.
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&check); err != nil {
		return s.readError(err)
	}
	if check != "ok" {
		return fmt.Errorf("%s: %w: SQLite's check says %q (this file is left as it is; restore a copy or start a new record)",
			s.path, ErrCorrupt, check)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return s.readError(err)
	}
	if err := s.migrate(ctx, int(version)); err != nil {
		return err
	}
	var last int64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM detections").Scan(&last); err != nil {
		return s.readError(err)
	}
	s.lastDetection.Store(last)
	return nil
}

// migrate brings the schema from version from to the newest, one transaction per step.
func (s *Store) migrate(ctx context.Context, from int) error {
	for v := from; v < len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			if v == 0 {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("mission record %s: updating the schema to version %d: %w", s.path, v+1, err)
		}
	}
	return nil
}

// readError turns SQLite's complaint about a file into ErrCorrupt or ErrNotRecord.
func (s *Store) readError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database"):
		return fmt.Errorf("%s: %w: %v (this file is left as it is)", s.path, ErrNotRecord, err)
	case strings.Contains(msg, "malformed") || strings.Contains(msg, "corrupt"):
		return fmt.Errorf("%s: %w: %v (this file is left as it is; restore a copy or start a new record)", s.path, ErrCorrupt, err)
	}
	return fmt.Errorf("mission record %s: %w", s.path, err)
}

// Path returns the file the record is in.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the record's schema version.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.QueryRow("PRAGMA user_version").Scan(&v)
	return v, err
}

// Close checkpoints the write-ahead log into the file and closes it.
func (s *Store) Close() error {
	_, cerr := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	if err := s.db.Close(); err != nil {
		return err
	}
	if cerr != nil {
		return fmt.Errorf("mission record %s: checkpoint: %w", s.path, cerr)
	}
	return nil
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback() //nolint:errcheck // the error that made us roll back matters more
		return err
	}
	return tx.Commit()
}

// nanos stores a time as Unix nanoseconds, NULL for the zero time.
func nanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

// fromNanos reads a time stored by nanos, in UTC.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}
