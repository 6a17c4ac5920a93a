package postgres

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// A transcript is stored as JSON, the same text as the SQLite engine's, so
// that it reads well in SQL. encoding/json writes a string's bytes that are
// not UTF-8 as \ufffd, which a hostile endpoint could use to make the
// evidence differ from what it sent; so when the JSON holds \ufffd the
// exact transcript is kept too, in transcript_raw: rawGob, then the
// encoding/gob of the []aicc.Message. A valid U+FFFD is written as itself,
// not escaped, so \ufffd appears only for lost bytes or for a backslash
// followed by "ufffd" in the text, when the raw copy is merely redundant.

// rawGob is the first byte of a raw transcript in encoding/gob.
const rawGob = 1

// transcriptEncoder encodes transcripts, reusing its buffer.
type transcriptEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newTranscriptEncoder() *transcriptEncoder {
	e := &transcriptEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false) // transcripts are full of <, > and &
	return e
}

// encode returns the JSON of t and, when the JSON lost bytes, its exact
// encoding (nil otherwise).
func (e *transcriptEncoder) encode(t []aicc.Message) (string, []byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(t); err != nil {
		return "", nil, err
	}
	js := bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'})
	if !bytes.Contains(js, []byte(`\ufffd`)) {
		return string(js), nil, nil
	}
	var raw bytes.Buffer
	raw.WriteByte(rawGob)
	if err := gob.NewEncoder(&raw).Encode(t); err != nil {
		return "", nil, err
	}
	return string(js), raw.Bytes(), nil
}

// decodeTranscript reads a transcript back: from raw when it is there,
// from the JSON otherwise. A NULL JSON (a listing without transcripts)
// reads as nil.
func decodeTranscript(js, raw []byte) ([]aicc.Message, error) {
	if len(raw) > 0 {
		if raw[0] != rawGob {
			return nil, fmt.Errorf("raw transcript in unknown format %d", raw[0])
		}
		var t []aicc.Message
		if err := gob.NewDecoder(bytes.NewReader(raw[1:])).Decode(&t); err != nil {
			return nil, fmt.Errorf("raw transcript: %w", err)
		}
		return t, nil
	}
	if js == nil {
		return nil, nil
	}
	var t []aicc.Message
	if err := json.Unmarshal(js, &t); err != nil {
		return nil, fmt.Errorf("transcript JSON: %w", err)
	}
	return t, nil
}
