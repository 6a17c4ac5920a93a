package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Limits that keep the HTML report readable and its size bounded on scans
// with many findings and long conversations.
const (
	htmlFullFindings  = 50   // findings shown with every example; later ones show one
	htmlMessageChars  = 2000 // characters of a message, tool call or evidence shown
	htmlHeadMessages  = 2    // messages shown from the start of a long transcript
	htmlTailMessages  = 10   // and from its end
	htmlEvidenceIDs   = 20   // hit attempt IDs listed per finding
	chartWidth        = 800
	chartLabelWidth   = 270
	chartBarWidth     = 380
	chartRowHeight    = 30
	chartBarHeight    = 18
	chartSummaryStart = chartLabelWidth + chartBarWidth + 12
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once. Every value reaches the page through
// html/template's contextual escaping; nothing is marked template.HTML.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"v":    func(s string) string { return visible(s, false) },
	"inc":  func(i int) int { return i + 1 },
	"rate": rateText,
}).Parse(htmlSource))

type htmlPage struct {
	R          *Report
	Digest     string
	Duration   string
	Confirmed  int
	Severities []severityCount
	Chart      htmlChart
	Findings   []htmlFinding
}

type severityCount struct {
	Severity aicc.Severity
	N        int
}

type htmlChart struct {
	Width, Height                     int
	LabelX, BarX, BarWidth, BarHeight int
	SummaryX                          int
	Rows                              []chartRow
}

type chartRow struct {
	Y, BarY, TextY int
	Label, Summary string
	Segs           []chartSeg
}

type chartSeg struct {
	Kind  string // hit, pass, undetermined, error: the CSS class
	X, W  float64
	Title string
}

type htmlFinding struct {
	*Finding
	CVSSText   string // "8.7 High" or "-"
	Reproduced string // "3/5 60% [23–88%]" or "-"
	Sampling   string // "temperature 0.7, seed 42" or "the endpoint's defaults"
	Chips      []string
	EvidenceID []string // the first htmlEvidenceIDs of Evidence
	MoreIDs    int
	Shown      []htmlExample
	NotShown   int // hits without an example on the page
}

type htmlExample struct {
	ID, Detector, Reason string
	Index, Repetition    int
	Evidence             string
	EvidenceCut          int
	Messages             []htmlMessage
}

type htmlMessage struct {
	Role      string // system, user, assistant, tool or other: the CSS class
	Name      string // tool messages: tool name and call ID
	Content   string
	Cut       int // characters not shown
	ToolCalls []htmlToolCall
	Omitted   int // when > 0, this entry stands for that many omitted messages
	RawRole   string
}

type htmlToolCall struct {
	Name, Arguments string
	Cut             int
}

// writeHTML writes a standalone HTML page: no scripts, no external assets,
// and a Content-Security-Policy that forbids loading anything.
func writeHTML(w io.Writer, r *Report) error {
	p := htmlPage{
		R:        r,
		Digest:   shortDigest(r.Protocol.Digest),
		Duration: duration(r.ActiveSeconds),
		Chart:    chart(r.Classes),
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Status == StatusConfirmed {
			p.Confirmed++
		}
		if n := len(p.Severities); n > 0 && p.Severities[n-1].Severity == f.Severity {
			p.Severities[n-1].N++
		} else {
			p.Severities = append(p.Severities, severityCount{f.Severity, 1})
		}
		examples := MaxExamples
		if i >= htmlFullFindings {
			examples = 1
		}
		p.Findings = append(p.Findings, findingView(f, examples))
	}
	return htmlTemplate.Execute(w, p)
}

func findingView(f *Finding, examples int) htmlFinding {
	v := htmlFinding{Finding: f, CVSSText: cvssText(f.CVSS), Reproduced: reproductionText(f.Reproduction), Sampling: samplingText(f.Sampling)}
	for _, group := range [][]string{f.Taxonomy.OWASP, f.Taxonomy.ATLAS, f.Taxonomy.CWE} {
		for _, id := range group {
			v.Chips = append(v.Chips, visible(id, false))
		}
	}
	v.EvidenceID = f.Evidence[:min(len(f.Evidence), htmlEvidenceIDs)]
	v.MoreIDs = len(f.Evidence) - len(v.EvidenceID)
	for _, a := range f.Examples[:min(len(f.Examples), examples)] {
		v.Shown = append(v.Shown, exampleView(a))
	}
	v.NotShown = f.Hits - len(v.Shown)
	return v
}

// samplingText describes sampling parameters for people.
func samplingText(s Sampling) string {
	var parts []string
	if s.Temperature != nil {
		parts = append(parts, fmt.Sprintf("temperature %g", *s.Temperature))
	}
	if s.Seed != nil {
		parts = append(parts, fmt.Sprintf("seed %d (reruns: seed+1+r)", *s.Seed))
	}
	if s.MaxTokens > 0 {
		parts = append(parts, fmt.Sprintf("max tokens %d", s.MaxTokens))
	}
	if len(parts) == 0 {
		return "the endpoint's defaults"
	}
	return strings.Join(parts, ", ")
}

func exampleView(a *aicc.Attempt) htmlExample {
	e := htmlExample{
		ID:         visible(a.ID, false),
		Detector:   visible(a.Detector, false),
		Reason:     visible(a.Reason, false),
		Index:      a.Index,
		Repetition: a.Repetition,
	}
	if len(a.Evidence) > 0 {
		var buf bytes.Buffer
		ev := string(a.Evidence)
		if json.Indent(&buf, a.Evidence, "", "  ") == nil {
			ev = buf.String()
		}
		e.Evidence, e.EvidenceCut = truncate(visible(ev, true), htmlMessageChars)
	}
	msgs := a.Transcript
	if len(msgs) <= htmlHeadMessages+htmlTailMessages+1 {
		for _, m := range msgs {
			e.Messages = append(e.Messages, messageView(m))
		}
		return e
	}
	for _, m := range msgs[:htmlHeadMessages] {
		e.Messages = append(e.Messages, messageView(m))
	}
	e.Messages = append(e.Messages, htmlMessage{Omitted: len(msgs) - htmlHeadMessages - htmlTailMessages})
	for _, m := range msgs[len(msgs)-htmlTailMessages:] {
		e.Messages = append(e.Messages, messageView(m))
	}
	return e
}

func messageView(m aicc.Message) htmlMessage {
	v := htmlMessage{Role: "other", RawRole: visible(string(m.Role), false)}
	switch m.Role {
	case aicc.RoleSystem, aicc.RoleUser, aicc.RoleAssistant, aicc.RoleTool:
		v.Role = string(m.Role)
	}
	if m.Role == aicc.RoleTool {
		v.Name = visible(m.Name, false)
		if m.ToolCallID != "" {
			v.Name += " (" + visible(m.ToolCallID, false) + ")"
		}
	}
	v.Content, v.Cut = truncate(visible(m.Content, true), htmlMessageChars)
	for _, c := range m.ToolCalls {
		tc := htmlToolCall{Name: visible(c.Name, false)}
		tc.Arguments, tc.Cut = truncate(visible(c.Arguments, true), htmlMessageChars)
		v.ToolCalls = append(v.ToolCalls, tc)
	}
	return v
}

// chart lays out one 100%-stacked bar per class: the share of its attempts
// that ended as hit, pass, undetermined and error.
func chart(classes []ClassResult) htmlChart {
	c := htmlChart{
		Width:     chartWidth,
		Height:    max(1, len(classes)) * chartRowHeight,
		LabelX:    chartLabelWidth - 8,
		BarX:      chartLabelWidth,
		BarWidth:  chartBarWidth,
		BarHeight: chartBarHeight,
		SummaryX:  chartSummaryStart,
	}
	for i, k := range classes {
		row := chartRow{
			Y:       i * chartRowHeight,
			BarY:    i*chartRowHeight + (chartRowHeight-chartBarHeight)/2,
			TextY:   i*chartRowHeight + chartRowHeight/2 + 4,
			Label:   visible(k.Title, false),
			Summary: fmt.Sprintf("%d hit / %d", k.Hit, k.Attempts),
		}
		x := float64(chartLabelWidth)
		for _, s := range []struct {
			kind string
			n    int
		}{{"hit", k.Hit}, {"pass", k.Pass}, {"undetermined", k.Undetermined}, {"error", k.Error}} {
			if s.n == 0 {
				continue
			}
			w := math.Round(float64(s.n)/float64(k.Attempts)*chartBarWidth*10) / 10
			row.Segs = append(row.Segs, chartSeg{
				Kind:  s.kind,
				X:     math.Round(x*10) / 10,
				W:     w,
				Title: fmt.Sprintf("%s: %s %d of %d", visible(k.Title, false), s.kind, s.n, k.Attempts),
			})
			x += w
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}
