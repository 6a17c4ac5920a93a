package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	r, err := Build(context.Background(), fixture(t), "sc_fixture")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "text"); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.txt", buf.Bytes())
}

func TestWriteTextEscapesControls(t *testing.T) {
	r := &Report{
		ScanID:   "sc_x",
		Target:   "evil\x1b]0;pwned\x07\r\ntarget",
		Findings: []Finding{{Title: "title \x1b[2J", Evidence: []string{"at_1"}}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "text"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\x07\r") {
		t.Errorf("control characters reached the terminal output:\n%q", out)
	}
	for _, want := range []string{`evil\x1b]0;pwned\x07\x0d\ntarget`, `title \x1b[2J`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the visible escape %s:\n%s", want, out)
		}
	}
}
