package store

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// AuditEntry is one operator command in the audit log, with the vehicle's answer.
type AuditEntry struct {
	ID      int64
	Time    time.Time // when the command was sent
	SysID   uint8
	Command string // as the operator gave it: "arm", "takeoff 20", "mode GUIDED"
	// Answered is false until LogAnswer recorded what became of the command; Result is
	// then the vehicle's answer (gcs.CommandNoAnswer for silence), Reason its explanation.
	Answered   bool
	Result     gcs.CommandResult
	Reason     string
	AnswerTime time.Time
}

// LogCommand records a command as it is sent, before any answer, so that a command is in
// the log even when the station dies waiting. It returns the entry's ID for LogAnswer.
func (s *Store) LogCommand(at time.Time, sysID uint8, command string) (int64, error) {
	res, err := s.db.Exec("INSERT INTO audit (time, sysid, command, reason) VALUES (?, ?, ?, '')", at.UnixNano(), int64(sysID), command)
	if err != nil {
		return 0, fmt.Errorf("logging command %q in %s: %w", command, s.path, err)
	}
	return res.LastInsertId()
}

// LogAnswer records the vehicle's answer to logged command id, received at at.
func (s *Store) LogAnswer(id int64, at time.Time, r gcs.CommandReply) error {
	res, err := s.db.Exec("UPDATE audit SET result = ?, reason = ?, answer_time = ? WHERE id = ?", int64(r.Result), r.Reason, at.UnixNano(), id)
	if err != nil {
		return fmt.Errorf("logging the answer to command %d in %s: %w", id, s.path, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("logging the answer to command %d in %s: no such command", id, s.path)
	}
	return nil
}

// Audit returns the audit log, oldest first.
func (s *Store) Audit() ([]AuditEntry, error) {
	rows, err := s.db.Query("SELECT id, time, sysid, command, result, reason, answer_time FROM audit ORDER BY id")
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var t, sysID int64
		var result, answer sql.NullInt64
		if err := rows.Scan(&e.ID, &t, &sysID, &e.Command, &result, &e.Reason, &answer); err != nil {
			return nil, s.readError(err)
		}
		e.Time, e.SysID = fromNanos(sql.NullInt64{Int64: t, Valid: true}), uint8(sysID)
		e.Answered, e.Result, e.AnswerTime = result.Valid, gcs.CommandResult(result.Int64), fromNanos(answer)
		out = append(out, e)
	}
	return out, rows.Err()
}
