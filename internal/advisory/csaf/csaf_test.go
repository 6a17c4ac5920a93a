package csaf_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/csaf"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/check"
	"github.com/aicc-dev/aicc/internal/aicc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var categories = []struct {
	c      csaf.Category
	golden string
}{
	{csaf.SecurityAdvisory, "example.advisory.json"},
	{csaf.VEX, "example.vex.json"},
}

// encode renders a in category c, checks the document against the official
// schema and every mandatory test (check.Validate), and returns it.
func encode(t *testing.T, a *advisory.Advisory, c csaf.Category) []byte {
	t.Helper()
	doc, err := csaf.Encode(a, advisory.ExamplePublisher, c)
	if err != nil {
		t.Fatalf("Encode(%s): %v", c, err)
	}
	validateSchema(t, doc)
	r, err := check.Validate(doc)
	if err != nil {
		t.Fatalf("check.Validate: %v", err)
	}
	if !r.OK() {
		t.Errorf("check.Validate(%s):\n%s", c, r)
	}
	return doc
}

// encodeBoth renders a in both categories, checking each.
func encodeBoth(t *testing.T, a *advisory.Advisory) map[csaf.Category][]byte {
	t.Helper()
	out := map[csaf.Category][]byte{}
	for _, c := range categories {
		out[c.c] = encode(t, a, c.c)
	}
	return out
}

// parsed is the part of a document the tests look at.
type parsed struct {
	Document struct {
		Category     string `json:"category"`
		Distribution struct {
			Text string `json:"text"`
			TLP  struct {
				Label string `json:"label"`
			} `json:"tlp"`
		} `json:"distribution"`
		Notes    []parsedNote `json:"notes"`
		Tracking struct {
			CurrentReleaseDate string `json:"current_release_date"`
			InitialReleaseDate string `json:"initial_release_date"`
			RevisionHistory    []struct {
				Date    string `json:"date"`
				Number  string `json:"number"`
				Summary string `json:"summary"`
			} `json:"revision_history"`
			Status  string `json:"status"`
			Version string `json:"version"`
		} `json:"tracking"`
	} `json:"document"`
	Vulnerabilities []struct {
		CWE *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"cwe"`
		Notes         []parsedNote        `json:"notes"`
		ProductStatus map[string][]string `json:"product_status"`
	} `json:"vulnerabilities"`
}

type parsedNote struct {
	Category string `json:"category"`
	Text     string `json:"text"`
	Title    string `json:"title"`
}

func parse(t *testing.T, doc []byte) parsed {
	t.Helper()
	var p parsed
	if err := json.Unmarshal(doc, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func noteTitled(notes []parsedNote, title string) (parsedNote, bool) {
	i := slices.IndexFunc(notes, func(n parsedNote) bool { return n.Title == title })
	if i < 0 {
		return parsedNote{}, false
	}
	return notes[i], true
}

func TestGolden(t *testing.T) {
	for _, c := range categories {
		t.Run(string(c.c), func(t *testing.T) {
			got := encode(t, advisorytest.Example(), c.c)
			path := filepath.Join("testdata", c.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Encode(Example, %s) differs from %s (run go test -update if the change is intended):\n%s", c.c, path, got)
			}
		})
	}
}

func TestCategory(t *testing.T) {
	for c, doc := range encodeBoth(t, advisorytest.Example()) {
		if got := parse(t, doc).Document.Category; got != string(c) {
			t.Errorf("category %q, want %q", got, c)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := advisorytest.Example()
	a.Packages = append(a.Packages,
		advisory.Package{Ecosystem: "npm", Name: "@example/agent", Introduced: "0", Fixed: "2.0.1"},
		advisory.Package{Ecosystem: "Go", Name: "example.com/agent", Introduced: "1.2.0"})
	first := encodeBoth(t, a)
	again := encodeBoth(t, a)
	b := advisorytest.Example()
	b.Packages = a.Packages
	slices.Reverse(b.Products)
	b.Products[0], b.Products[2] = b.Products[2], b.Products[0]
	slices.Reverse(b.Packages)
	reordered := encodeBoth(t, b)
	for _, c := range categories {
		if !bytes.Equal(first[c.c], again[c.c]) {
			t.Errorf("%s: two encodings of the same advisory differ", c.c)
		}
		if !bytes.Equal(first[c.c], reordered[c.c]) {
			t.Errorf("%s: products in another order give another document", c.c)
		}
	}
}

// TestKeysSorted checks that every object's keys are in alphabetical order
// (section 5.3, optional test 6.2.13).
func TestKeysSorted(t *testing.T) {
	if bad := unsortedObjects([]byte(`{"a":{"c":1,"b":[{"e":2,"d":3}]}}`)); len(bad) != 2 {
		t.Fatalf("unsortedObjects finds %v in a document with two unsorted objects", bad)
	}
	for c, doc := range encodeBoth(t, advisorytest.Example()) {
		if bad := unsortedObjects(doc); len(bad) > 0 {
			t.Errorf("%s: objects with unsorted keys: %v", c, bad)
		}
	}
}

// unsortedObjects returns the keys of each object in doc whose keys are not
// sorted.
func unsortedObjects(doc []byte) [][]string {
	type frame struct {
		object    bool
		keys      []string
		expectKey bool
	}
	var (
		stack []*frame
		bad   [][]string
	)
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			return bad
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			if top.object && !slices.IsSorted(top.keys) {
				bad = append(bad, top.keys)
			}
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].expectKey = true
			}
			continue
		}
		if k, ok := tok.(string); ok && top != nil && top.object && top.expectKey {
			top.keys, top.expectKey = append(top.keys, k), false
			continue
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{object: d == '{', expectKey: d == '{'})
			continue
		}
		if top != nil && top.object {
			top.expectKey = true // a value ends: a key comes next
		}
	}
}

func TestPublishedTracking(t *testing.T) {
	for c, doc := range encodeBoth(t, advisorytest.Example()) {
		tr := parse(t, doc).Document.Tracking
		if tr.Status != "final" || tr.Version != "2" || len(tr.RevisionHistory) != 2 || tr.RevisionHistory[1].Number != "2" {
			t.Errorf("%s: status %q version %q history %+v, want final, 2, revisions 1 and 2", c, tr.Status, tr.Version, tr.RevisionHistory)
		}
		if tr.InitialReleaseDate != "2026-11-20T00:00:00.000Z" || tr.CurrentReleaseDate != "2026-11-25T14:00:00.000Z" {
			t.Errorf("%s: released %s, current %s", c, tr.InitialReleaseDate, tr.CurrentReleaseDate)
		}
	}
}

// draft returns Example as it was before publication.
func draft(state advisory.State) *advisory.Advisory {
	a := advisorytest.Example()
	a.State, a.Revision, a.History = state, 1, nil
	a.PublishedAt, a.RevisedAt = time.Time{}, time.Time{}
	a.UpdatedAt = advisorytest.T0.Add(5 * 24 * time.Hour)
	return a
}

func TestDraft(t *testing.T) {
	for _, state := range []advisory.State{advisory.StateDraft, advisory.StateEmbargoed} {
		for c, doc := range encodeBoth(t, draft(state)) {
			tr := parse(t, doc).Document.Tracking
			if tr.Status != "draft" || tr.Version != "0" {
				t.Errorf("%s %s: status %q version %q, want draft 0", state, c, tr.Status, tr.Version)
			}
			if len(tr.RevisionHistory) != 1 || tr.RevisionHistory[0].Number != "0" {
				t.Errorf("%s %s: revision history %+v, want one revision 0", state, c, tr.RevisionHistory)
			}
			if tr.InitialReleaseDate != "2026-11-02T09:30:00.000Z" || tr.CurrentReleaseDate != "2026-11-07T09:30:00.000Z" {
				t.Errorf("%s %s: created %s, current %s", state, c, tr.InitialReleaseDate, tr.CurrentReleaseDate)
			}
		}
	}
}

func TestWithdrawn(t *testing.T) {
	withdrawn := func() *advisory.Advisory {
		a := advisorytest.Example()
		a.State = advisory.StateWithdrawn
		a.WithdrawnAt = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		a.WithdrawReason = "The developer showed that the extracted text was not the system prompt"
		return a
	}
	t.Run("new revision", func(t *testing.T) {
		for c, doc := range encodeBoth(t, withdrawn()) {
			p := parse(t, doc)
			tr := p.Document.Tracking
			if tr.Version != "3" || len(tr.RevisionHistory) != 3 || tr.CurrentReleaseDate != "2026-12-01T08:00:00.000Z" {
				t.Errorf("%s: version %q, history %+v, current %s: want the withdrawal as revision 3", c, tr.Version, tr.RevisionHistory, tr.CurrentReleaseDate)
			}
			n, ok := noteTitled(p.Document.Notes, "Withdrawn")
			if !ok || !strings.Contains(n.Text, "2026-12-01") || !strings.Contains(n.Text, "revision 3") || !strings.Contains(n.Text, "not the system prompt") {
				t.Errorf("%s: withdrawal note %+v, want its date, revision and reason", c, n)
			}
		}
	})
	t.Run("in the history", func(t *testing.T) {
		a := withdrawn()
		a.Revision = 3
		a.History = append(a.History, advisory.Revision{Number: 3, Date: a.WithdrawnAt, Summary: "Withdrawn."})
		a.RevisedAt = a.WithdrawnAt
		for c, doc := range encodeBoth(t, a) {
			tr := parse(t, doc).Document.Tracking
			if tr.Version != "3" || len(tr.RevisionHistory) != 3 {
				t.Errorf("%s: version %q, history %+v: want revision 3 once", c, tr.Version, tr.RevisionHistory)
			}
		}
	})
}

// TestAudiences encodes what each viewer may see: the label is the ceiling
// of the tiers given, and a tier withheld from the viewer is absent.
func TestAudiences(t *testing.T) {
	ex := advisorytest.Example()
	for _, c := range []struct {
		name        string
		viewer      advisory.Viewer
		label       string
		details     bool
		payload     bool
		distributed string
	}{
		{"anonymous", advisory.Anonymous, "WHITE", false, false, "TLP:CLEAR"},
		{"operator", advisory.Viewer{OrgID: "org_operator0000000", Kind: aicc.OrgOperator}, "AMBER", true, false, "TLP:AMBER"},
		{"open source project", advisory.Viewer{OrgID: "org_oss000000000000", Kind: aicc.OrgOSS}, "WHITE", false, false, "TLP:CLEAR"},
		{"named recipient", advisory.Viewer{OrgID: "org_cisa00000000000", Kind: aicc.OrgAgency}, "RED", true, true, "TLP:RED"},
		{"developer", advisory.Viewer{OrgID: ex.DeveloperOrgID, Kind: aicc.OrgDeveloper}, "RED", true, true, "TLP:RED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := advisory.Visible(advisorytest.Example(), c.viewer)
			if v == nil {
				t.Fatal("Visible returned nil")
			}
			if want := csaf.TLPLabel(advisory.Ceiling(v)); want != c.label {
				t.Fatalf("ceiling %s, the test expects %s", want, c.label)
			}
			for cat, doc := range encodeBoth(t, v) {
				p := parse(t, doc)
				if got := p.Document.Distribution.TLP.Label; got != c.label {
					t.Errorf("%s: label %s, want %s", cat, got, c.label)
				}
				if !strings.HasPrefix(p.Document.Distribution.Text, c.distributed) {
					t.Errorf("%s: distribution text %q, want it to start with %s", cat, p.Document.Distribution.Text, c.distributed)
				}
				if got := bytes.Contains(doc, []byte(jsonText(ex.Details.Text))); got != c.details {
					t.Errorf("%s: details present %v, want %v", cat, got, c.details)
				}
				if got := bytes.Contains(doc, []byte(jsonText(ex.Payload.Text))); got != c.payload {
					t.Errorf("%s: payload present %v, want %v", cat, got, c.payload)
				}
			}
		})
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.Trim(strings.TrimSpace(b.String()), `"`)
}

// TestWithheldTextNeverAppears feeds tiers marked withheld that still hold
// their text: the encoder leaves them out and labels by what it renders.
func TestWithheldTextNeverAppears(t *testing.T) {
	a := advisorytest.Example()
	a.Payload.Withheld = true
	for c, doc := range encodeBoth(t, a) {
		p := parse(t, doc)
		if bytes.Contains(doc, []byte(jsonText(a.Payload.Text))) {
			t.Errorf("%s: the withheld payload appears", c)
		}
		if _, ok := noteTitled(p.Document.Notes, "Exploit payload"); ok {
			t.Errorf("%s: a payload note exists", c)
		}
		if got := p.Document.Distribution.TLP.Label; got != "AMBER" {
			t.Errorf("%s: label %s, want AMBER (the payload is not rendered)", c, got)
		}
	}
	a.Details.Withheld = true
	for c, doc := range encodeBoth(t, a) {
		if bytes.Contains(doc, []byte(jsonText(a.Details.Text))) {
			t.Errorf("%s: the withheld details appear", c)
		}
		if got := parse(t, doc).Document.Distribution.TLP.Label; got != "WHITE" {
			t.Errorf("%s: label %s, want WHITE", c, got)
		}
	}
}

func TestAmberStrict(t *testing.T) {
	a := advisorytest.Example()
	a.Details.TLP = aicc.TLPAmberStrict
	a.Payload = advisory.Tier{TLP: aicc.TLPRed, Withheld: true}
	for c, doc := range encodeBoth(t, a) {
		p := parse(t, doc)
		if got := p.Document.Distribution.TLP.Label; got != "AMBER" {
			t.Errorf("%s: label %s, want AMBER", c, got)
		}
		if text := p.Document.Distribution.Text; !strings.Contains(text, "AMBER+STRICT") || !strings.Contains(text, "stricter rule") {
			t.Errorf("%s: distribution text %q does not say that AMBER+STRICT applies", c, text)
		}
		if n, ok := noteTitled(p.Document.Notes, "TLP:AMBER+STRICT"); !ok || !strings.Contains(n.Text, "stricter rule") {
			t.Errorf("%s: no note on AMBER+STRICT: %+v", c, p.Document.Notes)
		}
	}
}

func TestProductStatus(t *testing.T) {
	for c, doc := range encodeBoth(t, advisorytest.Example()) {
		got := parse(t, doc).Vulnerabilities[0].ProductStatus
		want := map[string][]string{
			"fixed":               {"AICC-MODEL-example-chat-1.1-api", "AICC-PACKAGE-PyPI-example-agent-kit-0.9.2"},
			"known_affected":      {"AICC-MODEL-example-chat-1.0-api", "AICC-MODEL-example-chat-1.0-open-weights", "AICC-PACKAGE-PyPI-example-agent-kit-from-0.4.0-before-0.9.2"},
			"known_not_affected":  {"AICC-MODEL-example-chat-mini-1.0-api"},
			"under_investigation": {"AICC-MODEL-example-chat-1.2-preview-hosted-app"},
		}
		for k, ids := range want {
			if !slices.Equal(got[k], ids) {
				t.Errorf("%s: %s = %v, want %v", c, k, got[k], ids)
			}
		}
	}
}

func TestCVSSAndReproductionNotes(t *testing.T) {
	a := advisorytest.Example()
	doc := encode(t, a, csaf.SecurityAdvisory)
	notes := parse(t, doc).Vulnerabilities[0].Notes
	n, ok := noteTitled(notes, "CVSS 4.0")
	if !ok || !strings.Contains(n.Text, a.Severity.CVSSVector) || !strings.Contains(n.Text, "8.7") {
		t.Errorf("CVSS 4.0 note %+v, want the vector and the score", n)
	}
	if bytes.Contains(doc, []byte(`"scores"`)) {
		t.Error("a scores entry exists, but CSAF 2.0 has none for CVSS 4.0")
	}
	n, ok = noteTitled(notes, "Reproduction")
	if !ok || !strings.Contains(n.Text, "17 of 20") || !strings.Contains(n.Text, "64.0% to 94.8%") || !strings.Contains(n.Text, "0 of 20") {
		t.Errorf("reproduction note %+v, want the figures with their intervals", n)
	}
}

func TestCWE(t *testing.T) {
	for _, c := range []struct {
		cwes     []string
		id, name string
	}{
		{[]string{"CWE-200"}, "CWE-200", "Exposure of Sensitive Information to an Unauthorized Actor"},
		{[]string{"CWE-99999", "CWE-1427"}, "CWE-1427", "Improper Neutralization of Input Used for LLM Prompting"},
		{[]string{"CWE-99999"}, "", ""},
		{nil, "", ""},
	} {
		a := advisorytest.Example()
		a.Taxonomy.CWE = c.cwes
		got := parse(t, encode(t, a, csaf.VEX)).Vulnerabilities[0].CWE
		switch {
		case c.id == "" && got != nil:
			t.Errorf("%v: cwe %+v, want none", c.cwes, got)
		case c.id != "" && (got == nil || got.ID != c.id || got.Name != c.name):
			t.Errorf("%v: cwe %+v, want %s %q", c.cwes, got, c.id, c.name)
		}
	}
}

// TestOddProducts covers what the tree must survive: versions that read
// like ranges (test 6.1.31), readable IDs that would collide, and packages
// without a fix, from the first version, or in an ecosystem without a purl
// type.
func TestOddProducts(t *testing.T) {
	a := advisorytest.Example()
	a.Products = append(a.Products,
		advisory.Product{Model: "example-chat", Version: "1.0-small", Surface: advisory.SurfaceAPI, Status: advisory.StatusAffected},
		advisory.Product{Model: "example", Version: "chat-1.0", Surface: advisory.SurfaceAPI, Status: advisory.StatusFixed, Remediation: aicc.RemediationWeights},
		advisory.Product{Model: "example chat", Version: "1.0", Surface: advisory.SurfaceAPI, Status: advisory.StatusNotAffected, Justification: advisory.JustInlineMitigations})
	a.Packages = append(a.Packages,
		advisory.Package{Ecosystem: "PyPI", Name: "example-agent-kit", Introduced: "0"},
		advisory.Package{Ecosystem: "Maven", Name: "com.example:agent", Introduced: "1.0", Fixed: "1.4"},
		advisory.Package{Ecosystem: "npm", Name: "@example/agent", Introduced: "0", Fixed: "2.0.1"})
	for c, doc := range encodeBoth(t, a) {
		for _, want := range []string{`"vers:generic/1.0-small"`, `"vers:all/*"`, `"vers:npm/<2.0.1"`, `">=1.0|<1.4"`, `"pkg:npm/%40example/agent@2.0.1"`} {
			if !bytes.Contains(doc, []byte(want)) {
				t.Errorf("%s: %s is missing", c, want)
			}
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	invalid := advisorytest.Example()
	invalid.Products = nil
	undated := draft(advisory.StateDraft)
	undated.CreatedAt, undated.UpdatedAt = time.Time{}, time.Time{}
	noBase := advisory.ExamplePublisher
	noBase.BaseURL = ""
	for _, c := range []struct {
		name string
		a    *advisory.Advisory
		p    advisory.Publisher
		c    csaf.Category
	}{
		{"no advisory", nil, advisory.ExamplePublisher, csaf.VEX},
		{"unknown category", advisorytest.Example(), advisory.ExamplePublisher, "csaf_base"},
		{"invalid advisory", invalid, advisory.ExamplePublisher, csaf.VEX},
		{"publisher without base URL", advisorytest.Example(), noBase, csaf.VEX},
		{"draft without creation time", undated, advisory.ExamplePublisher, csaf.SecurityAdvisory},
	} {
		_, err := csaf.Encode(c.a, c.p, c.c)
		var e *aicc.Error
		if !errors.As(err, &e) || e.Kind != aicc.KindInvalid {
			t.Errorf("%s: error %v, want an invalid-input error", c.name, err)
		}
	}
}
