package osv_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/osv"
	"github.com/aicc-dev/aicc/internal/aicc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var pub = advisory.ExamplePublisher

// rec is a decoded OSV record.
type rec struct {
	SchemaVersion string  `json:"schema_version"`
	ID            string  `json:"id"`
	Modified      string  `json:"modified"`
	Published     *string `json:"published"`
	Withdrawn     *string `json:"withdrawn"`
	Summary       string  `json:"summary"`
	Details       string  `json:"details"`
	Severity      []struct {
		Type, Score string
	} `json:"severity"`
	Affected []struct {
		Package struct {
			Ecosystem, Name, PURL string
		} `json:"package"`
		Ranges []struct {
			Type   string              `json:"type"`
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
	References []struct {
		Type, URL string
	} `json:"references"`
	DatabaseSpecific struct {
		AdvisoryID string                   `json:"advisory_id"`
		Developer  string                   `json:"developer"`
		Class      string                   `json:"class"`
		TLP        string                   `json:"tlp"`
		Taxonomy   struct{ ATLAS []string } `json:"taxonomy"`
		Models     []struct {
			PURL, Model, Version, Surface, Status, Justification string
		} `json:"models"`
	} `json:"database_specific"`
}

func encode(t *testing.T, a *advisory.Advisory) ([]byte, rec) {
	t.Helper()
	b, err := osv.Encode(a, pub)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	var r rec
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return b, r
}

func withdrawn() *advisory.Advisory {
	a := advisorytest.Example()
	a.State = advisory.StateWithdrawn
	a.WithdrawnAt = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	a.WithdrawReason = "The behaviour is documented and intended"
	return a
}

func draft() *advisory.Advisory {
	a := advisorytest.Example()
	a.State, a.Revision, a.History = advisory.StateDraft, 1, nil
	a.PublishedAt, a.RevisedAt = time.Time{}, time.Time{}
	return a
}

func manyPackages() *advisory.Advisory {
	a := advisorytest.Example()
	a.Packages = append(a.Packages,
		advisory.Package{Ecosystem: "npm", Name: "@example/agent", PURL: "pkg:npm/%40example/agent@2.0.0", Introduced: "0"},
		advisory.Package{Ecosystem: "Maven:https://maven.example.com", Name: "com.example:agent", Introduced: "1.0", Fixed: "1.4"},
		advisory.Package{Ecosystem: "Go", Name: "example.com/agent", Introduced: "1.2.0", Fixed: "1.3.0"},
		advisory.Package{Ecosystem: "Go", Name: "example.com/agent", Introduced: "1.5.0", Fixed: "1.5.2"},
		advisory.Package{Ecosystem: "Debian:12", Name: "example-serving", Introduced: "1.0-1"},
	)
	return a
}

func TestValidOSV(t *testing.T) {
	for name, a := range map[string]*advisory.Advisory{
		"example":   advisorytest.Example(),
		"anonymous": advisory.Visible(advisorytest.Example(), advisory.Anonymous),
		"withdrawn": withdrawn(),
		"draft":     draft(),
		"packages":  manyPackages(),
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := encode(t, a)
			validate(t, b)
		})
	}
}

func TestGolden(t *testing.T) {
	b, _ := encode(t, advisorytest.Example())
	const golden = "testdata/example.osv.json"
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", golden, b)
	}
}

func TestDeterministic(t *testing.T) {
	x, _ := encode(t, manyPackages())
	y, _ := encode(t, manyPackages())
	if !bytes.Equal(x, y) {
		t.Fatal("two encodings of the same advisory differ")
	}
	shuffled := manyPackages()
	slices.Reverse(shuffled.Packages)
	slices.Reverse(shuffled.Products)
	z, _ := encode(t, shuffled)
	if !bytes.Equal(x, z) {
		t.Errorf("the order of packages and products changes the output:\n%s\n---\n%s", x, z)
	}
}

func TestRecord(t *testing.T) {
	a := advisorytest.Example()
	_, r := encode(t, a)
	for _, c := range []struct{ field, got, want string }{
		{"schema_version", r.SchemaVersion, "1.7.5"},
		{"id", r.ID, "x_AICC-2026-0042"},
		{"modified", r.Modified, "2026-11-25T14:00:00Z"},
		{"published", deref(r.Published), "2026-11-20T00:00:00Z"},
		{"summary", r.Summary, a.Title},
		{"database_specific.advisory_id", r.DatabaseSpecific.AdvisoryID, a.ID},
		{"database_specific.developer", r.DatabaseSpecific.Developer, "Example AI"},
		{"database_specific.class", r.DatabaseSpecific.Class, "system_prompt_extraction"},
		{"database_specific.tlp", r.DatabaseSpecific.TLP, "TLP:CLEAR"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if r.Withdrawn != nil {
		t.Errorf("a record that is not withdrawn has withdrawn %q", *r.Withdrawn)
	}
	if !strings.HasPrefix(r.Details, a.Summary.Text) || !strings.Contains(r.Details, "> "+a.Statement.Text) {
		t.Errorf("details lack the summary or the developer's statement:\n%s", r.Details)
	}
	if len(r.Severity) != 1 || r.Severity[0].Type != "CVSS_V4" || r.Severity[0].Score != a.Severity.CVSSVector {
		t.Errorf("severity %+v", r.Severity)
	}
	if len(r.References) != 1 || r.References[0].Type != "ADVISORY" || r.References[0].URL != "https://aicc.example/advisories/AICC-2026-0042" {
		t.Errorf("references %+v", r.References)
	}
	if len(r.Affected) != 1 {
		t.Fatalf("%d affected entries, want 1", len(r.Affected))
	}
	af := r.Affected[0]
	if af.Package.Ecosystem != "PyPI" || af.Package.Name != "example-agent-kit" || af.Package.PURL != "pkg:pypi/example-agent-kit" {
		t.Errorf("package %+v", af.Package)
	}
	if len(af.Ranges) != 1 || af.Ranges[0].Type != "ECOSYSTEM" ||
		!slices.EqualFunc(af.Ranges[0].Events, []map[string]string{{"introduced": "0.4.0"}, {"fixed": "0.9.2"}}, maps.Equal) {
		t.Errorf("ranges %+v", af.Ranges)
	}
	if !slices.Equal(r.DatabaseSpecific.Taxonomy.ATLAS, a.Taxonomy.ATLAS) {
		t.Errorf("taxonomy ATLAS %v", r.DatabaseSpecific.Taxonomy.ATLAS)
	}
	statuses := map[string]string{}
	for _, m := range r.DatabaseSpecific.Models {
		statuses[m.Model+"@"+m.Version+"/"+m.Surface] = m.Status
	}
	for _, p := range a.Products {
		if statuses[p.Key()] != string(p.Status) {
			t.Errorf("model %s: status %q, want %q", p.Key(), statuses[p.Key()], p.Status)
		}
	}
}

func TestPackages(t *testing.T) {
	_, r := encode(t, manyPackages())
	var names []string
	for _, af := range r.Affected {
		names = append(names, af.Package.Ecosystem+" "+af.Package.Name)
		if strings.Contains(af.Package.PURL, "@2.0.0") {
			t.Errorf("purl %q keeps its version", af.Package.PURL)
		}
		if af.Package.Name == "example.com/agent" && len(af.Ranges) != 2 {
			t.Errorf("example.com/agent has %d ranges, want its 2 in one entry", len(af.Ranges))
		}
	}
	want := []string{"Debian:12 example-serving", "Go example.com/agent", "Maven:https://maven.example.com com.example:agent",
		"PyPI example-agent-kit", "npm @example/agent"}
	if !slices.Equal(names, want) {
		t.Errorf("affected %v, want %v", names, want)
	}
}

func TestWithdrawn(t *testing.T) {
	b, r := encode(t, withdrawn())
	if deref(r.Withdrawn) != "2026-12-01T08:00:00Z" || r.Modified != "2026-12-01T08:00:00Z" {
		t.Errorf("withdrawn %q modified %q, want both 2026-12-01T08:00:00Z", deref(r.Withdrawn), r.Modified)
	}
	if !strings.HasPrefix(r.Summary, "[WITHDRAWN] ") || !strings.Contains(r.Summary, "documented and intended") {
		t.Errorf("summary %q lacks the withdrawal and its reason", r.Summary)
	}
	if !bytes.Contains(b, []byte(`"withdrawn": "2026-12-01T08:00:00Z"`)) {
		t.Errorf("no withdrawn field in\n%s", b)
	}
	noDate := withdrawn()
	noDate.WithdrawnAt = time.Time{}
	if _, err := osv.Encode(noDate, pub); aicc.KindOf(err) != aicc.KindInvalid {
		t.Errorf("withdrawn without a date: error %v, want kind invalid", err)
	}
}

func TestDraft(t *testing.T) {
	_, r := encode(t, draft())
	if r.Published != nil || r.Modified != "2026-11-25T14:00:00Z" {
		t.Errorf("draft: published %v modified %q, want none and the last update", r.Published, r.Modified)
	}
}

func TestNoTierText(t *testing.T) {
	a := advisorytest.Example() // every tier present, nothing withheld
	b, _ := encode(t, a)
	// The audience's copy, with the restricted tiers withheld, gives the
	// same bytes: nothing in the record depends on them.
	if anon, _ := encode(t, advisory.Visible(a, advisory.Anonymous)); !bytes.Equal(anon, b) {
		t.Errorf("the anonymous copy gives a different record:\n%s\n---\n%s", anon, b)
	}
	for name, text := range map[string]string{"details": a.Details.Text, "payload": a.Payload.Text} {
		if text == "" {
			t.Fatalf("the example has no %s text", name)
		}
		if frag := text[:min(len(text), 40)]; bytes.Contains(b, []byte(frag)) {
			t.Errorf("the %s text (%q…) is in the record", name, frag)
		}
	}
	withheld := advisorytest.Example()
	withheld.Summary = advisory.Tier{TLP: aicc.TLPClear, Withheld: true, Text: "must not appear"}
	if b, err := osv.Encode(withheld, pub); err == nil && bytes.Contains(b, []byte("must not appear")) {
		t.Error("a withheld summary's text is in the record")
	}
}

func TestApplies(t *testing.T) {
	none := advisorytest.Example()
	none.Packages = nil
	for _, c := range []struct {
		a    *advisory.Advisory
		want bool
	}{{advisorytest.Example(), true}, {none, false}, {nil, false}} {
		if got := osv.Applies(c.a); got != c.want {
			t.Errorf("Applies = %v, want %v", got, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	edit := func(f func(a *advisory.Advisory)) *advisory.Advisory {
		a := advisorytest.Example()
		f(a)
		return a
	}
	for name, tc := range map[string]struct {
		a       *advisory.Advisory
		p       advisory.Publisher
		kind    aicc.ErrorKind
		message string
	}{
		"no package": {edit(func(a *advisory.Advisory) { a.Packages = nil }), pub, aicc.KindInvalid, "no package in an OSV ecosystem"},
		"lower-case ecosystem": {edit(func(a *advisory.Advisory) { a.Packages[0].Ecosystem = "pypi" }), pub, aicc.KindInvalid,
			`ecosystem "pypi" is not one OSV defines`},
		"unknown ecosystem": {edit(func(a *advisory.Advisory) { a.Packages[0].Ecosystem = "Conda" }), pub, aicc.KindInvalid, `"Conda"`},
		"empty suffix":      {edit(func(a *advisory.Advisory) { a.Packages[0].Ecosystem = "Debian:" }), pub, aicc.KindInvalid, "nothing after the colon"},
		"GIT is no package ecosystem": {edit(func(a *advisory.Advisory) { a.Packages[0].Ecosystem = "GIT" }), pub, aicc.KindInvalid,
			`ecosystem "GIT"`},
		"CVSS 3 vector": {edit(func(a *advisory.Advisory) {
			a.Severity.CVSSVector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
		}), pub, aicc.KindInvalid, "not a CVSS 4.0 vector"},
		"invalid advisory": {edit(func(a *advisory.Advisory) { a.Products = nil }), pub, aicc.KindInvalid, "products"},
		"no publisher":     {advisorytest.Example(), advisory.Publisher{}, aicc.KindInternal, "publisher"},
		"no advisory":      {nil, pub, aicc.KindInternal, "no advisory"},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := osv.Encode(tc.a, tc.p)
			if err == nil {
				t.Fatalf("no error; output %s", b)
			}
			if got := aicc.KindOf(err); got != tc.kind {
				t.Errorf("kind %s, want %s (%v)", got, tc.kind, err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not say %q", err, tc.message)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
