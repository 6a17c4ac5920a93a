package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// CanonicalDetail returns raw in the one form a Detail is hashed in:
// compact JSON with the keys of every object sorted (by bytes) and
// duplicate keys dropped (the last wins), numbers as written and strings
// re-escaped the same way every time. Empty input and JSON null give nil
// (no detail). Anything but a single JSON object is an error.
func CanonicalDetail(raw []byte) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit detail: not JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit detail: more than one JSON value")
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit detail: must be a JSON object")
	}
	return encodeCanonical(v)
}

// DetailOf marshals v (a struct or map) to a canonical Detail.
func DetailOf(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit detail: %v", err)
	}
	return CanonicalDetail(raw)
}

// encodeCanonical relies on encoding/json writing map keys sorted and
// json.Number verbatim.
func encodeCanonical(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit detail: %v", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
