package gcs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLineBytes bounds one line of the text files Vigil reads (missions, parameters), so a
// file that is not what it claims to be cannot make the reader buffer it whole.
const maxLineBytes = 4096

// lineReader reads a text file line by line for the file parsers: it counts lines for error
// messages, accepts LF and CRLF, drops a leading UTF-8 byte order mark (Notepad writes one)
// and trailing white space, and refuses lines over maxLineBytes.
type lineReader struct {
	sc      *bufio.Scanner
	n       int  // number of the line last returned, from 1
	tooLong bool // a line without its line end was over maxLineBytes
}

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	// room for a full-length line plus CR LF; longer lines fail with bufio.ErrTooLong.
	sc.Buffer(make([]byte, 0, 512), maxLineBytes+2)
	return &lineReader{sc: sc}
}

// next returns the next line, or false at the end of the input or on an error (see err).
func (l *lineReader) next() (string, bool) {
	if !l.sc.Scan() {
		return "", false
	}
	l.n++
	line := l.sc.Text()
	if l.n == 1 {
		line = strings.TrimPrefix(line, "\uFEFF")
	}
	if len(line) > maxLineBytes {
		l.n-- // reported by err as the line that failed
		l.tooLong = true
		return "", false
	}
	return strings.TrimRight(line, " \t\r\v\f"), true
}

// err returns why next stopped early, nil at a clean end of input.
func (l *lineReader) err() error {
	err := l.sc.Err()
	if l.tooLong || errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("line %d: longer than %d bytes", l.n+1, maxLineBytes)
	}
	if err != nil {
		return fmt.Errorf("line %d: %w", l.n+1, err)
	}
	return nil
}
