package target

import (
	"bufio"
	"bytes"
	"io"
)

// sseReader reads the data of server-sent events
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). Event
// names, ids and comments are skipped: both streaming APIs repeat the event
// type in the data.
type sseReader struct {
	br   *bufio.Reader
	data []byte // the current event's data
	long []byte // scratch for lines longer than br's buffer
}

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{br: bufio.NewReaderSize(r, 16<<10)}
}

// next returns the data of the next event, valid until the following call.
// At the end of the stream it returns io.EOF; an event whose lines were all
// complete when the stream ended is still returned first, while a final line
// cut short is dropped.
func (s *sseReader) next() ([]byte, error) {
	s.data = s.data[:0]
	hasData := false
	for {
		line, err := s.readLine()
		if err == io.EOF && hasData {
			return s.data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(line) == 0 { // blank line: dispatch
			if hasData {
				return s.data, nil
			}
			continue
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		if string(field) != "data" {
			continue // comment, event, id, retry or unknown field
		}
		if hasData {
			s.data = append(s.data, '\n')
		}
		s.data = append(s.data, value...)
		hasData = true
	}
}

// readLine returns the next complete line without its line ending. The
// stream's total size is bounded by the capReader beneath, so long lines are
// gathered whole.
func (s *sseReader) readLine() ([]byte, error) {
	line, err := s.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.long = append(s.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.br.ReadSlice('\n')
			s.long = append(s.long, line...)
		}
		line = s.long
	}
	if err != nil {
		return nil, err // io.EOF drops an unterminated last line
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}
