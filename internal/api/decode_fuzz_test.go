package api

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// FuzzDecode feeds request bodies from outside to the strict decoder of
// a submission: it never panics, and anything it refuses is invalid input
// with a message, never an internal error.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"model":"m","version":"1","release_date":"2026-12-19","endpoint":{"provider":"openai","base_url":"http://127.0.0.1:9/v1","model":"m"},"credential":"k"}`))
	f.Add([]byte(`{"model":`))
	f.Add([]byte(`{"model":"m"} {"x":1}`))
	f.Add([]byte(`{"facts":{"training_compute":{"operations":1e999}}}`))
	f.Add([]byte("\xff\xfe{\"model\":\"\x00\"}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/v1/submissions", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in submissionInput
		err := decode(r, &in)
		if err == nil {
			return
		}
		if aicc.KindOf(err) != aicc.KindInvalid || err.Error() == "" {
			t.Fatalf("decode(%q) = %v (kind %s), want an invalid-input error", body, err, aicc.KindOf(err))
		}
	})
}
