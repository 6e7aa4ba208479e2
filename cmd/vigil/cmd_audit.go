package main

import (
	"fmt"
	"os"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
)

// commandAudit writes one operator command and the vehicle's answer to a mission record's
// audit log: the command before it is sent, the answer (or the silence) when it comes.
type commandAudit struct {
	rec *store.Store
	id  int64
}

// openAudit logs the command; without a record path it does nothing.
func openAudit(path string, sysID uint8, command string) (*commandAudit, error) {
	if path == "" {
		return &commandAudit{}, nil
	}
	rec, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	id, err := rec.LogCommand(time.Now(), sysID, command)
	if err != nil {
		rec.Close()
		return nil, err
	}
	return &commandAudit{rec: rec, id: id}, nil
}

// answer logs the vehicle's answer and closes the record.
func (a *commandAudit) answer(r gcs.CommandReply) {
	if a.rec == nil {
		return
	}
	if err := a.rec.LogAnswer(a.id, time.Now(), r); err != nil {
		fmt.Fprintln(os.Stderr, "vigil: audit log:", err)
	}
	a.rec.Close()
}
