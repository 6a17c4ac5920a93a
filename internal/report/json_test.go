package report

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	r, err := Build(context.Background(), fixture(t), "sc_fixture")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "json"); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.json", buf.Bytes())

	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("the JSON report does not decode: %v", err)
	}
	if len(back.Findings) != len(r.Findings) || back.Findings[0].Examples != nil {
		t.Errorf("decoded report: %d findings (want %d), examples %v (want none: transcripts stay out of JSON)",
			len(back.Findings), len(r.Findings), back.Findings[0].Examples)
	}
}

func TestWriteJSONEmptyFindings(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, &Report{Findings: []Finding{}}, "json"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"findings": []`)) {
		t.Errorf("findings not written as []:\n%s", buf.Bytes())
	}
	if bytes.Contains(buf.Bytes(), []byte(`"finished_at"`)) {
		t.Errorf("an unfinished scan has a finished_at:\n%s", buf.Bytes())
	}
}
