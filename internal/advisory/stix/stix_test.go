package stix_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
	"github.com/aicc-dev/aicc/internal/aicc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var pub = advisory.ExamplePublisher

// obj is a decoded STIX object.
type obj map[string]any

func (o obj) str(key string) string { s, _ := o[key].(string); return s }

func (o obj) strs(key string) []string {
	var out []string
	for _, v := range o[key].([]any) {
		out = append(out, v.(string))
	}
	return out
}

// bundle encodes advs and decodes the bundle's objects.
func bundle(t *testing.T, advs ...*advisory.Advisory) ([]byte, []obj) {
	t.Helper()
	b, err := stix.Bundle(advs, pub)
	if err != nil {
		t.Fatalf("Bundle: %v", err)
	}
	var doc struct {
		Type    string `json:"type"`
		Objects []obj  `json:"objects"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if doc.Type != "bundle" {
		t.Fatalf("type %q, want bundle", doc.Type)
	}
	return b, doc.Objects
}

func ofType(objs []obj, typ string) []obj {
	var out []obj
	for _, o := range objs {
		if o.str("type") == typ {
			out = append(out, o)
		}
	}
	return out
}

func one(t *testing.T, objs []obj, typ string) obj {
	t.Helper()
	got := ofType(objs, typ)
	if len(got) != 1 {
		t.Fatalf("%d objects of type %s, want 1", len(got), typ)
	}
	return got[0]
}

// tiered is the example with a different label on every tier, so that a
// marking taken from the wrong tier shows.
func tiered() *advisory.Advisory {
	a := advisorytest.Example()
	a.Summary.TLP, a.Details.TLP, a.Payload.TLP = aicc.TLPGreen, aicc.TLPAmberStrict, aicc.TLPRed
	a.Details.Audience = advisory.Audience{Orgs: []string{"org_cisa00000000000"}}
	return a
}

func TestExampleIsValidSTIX(t *testing.T) {
	s := stixSchemas(t)
	for name, a := range map[string]*advisory.Advisory{
		"example": advisorytest.Example(), "tiered": tiered(), "withdrawn": withdrawn(), "anonymous": advisory.Visible(advisorytest.Example(), advisory.Anonymous),
	} {
		t.Run(name, func(t *testing.T) {
			objs, err := stix.Objects(a, pub)
			if err != nil {
				t.Fatalf("Objects: %v", err)
			}
			for _, o := range objs {
				s.validateObject(t, o.Type, o.JSON)
				var d obj
				if err := json.Unmarshal(o.JSON, &d); err != nil {
					t.Fatal(err)
				}
				// The TAXII server keys objects by these fields: they must
				// say what the JSON says.
				modified := d.str("modified")
				if o.Type == "marking-definition" {
					modified = d.str("created")
				}
				if d.str("id") != o.ID || d.str("type") != o.Type || modified != o.Modified.Format("2006-01-02T15:04:05.000Z") {
					t.Errorf("Object{%s %s %s} does not match its JSON %s", o.ID, o.Type, o.Modified, o.JSON)
				}
			}
			b, _ := bundle(t, a)
			s.validateBundle(t, b)
		})
	}
}

func TestGolden(t *testing.T) {
	b, _ := bundle(t, advisorytest.Example())
	path := filepath.Join("testdata", "example.bundle.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("the bundle differs from %s (run go test -update after checking the change):\n%s", path, b)
	}
}

func second() *advisory.Advisory {
	a := tiered()
	a.ID, a.Class, a.Family, a.Title = "AICC-2026-0043", aicc.ClassJailbreak, "", "Jailbreak of example-chat's refusal rules"
	a.Taxonomy = aicc.Taxonomy{ATLAS: []string{"AML.T0054"}, OWASP: []string{"LLM01:2025"}}
	a.Statement = nil
	return a
}

func TestDeterministic(t *testing.T) {
	first, _ := bundle(t, advisorytest.Example())
	again, _ := bundle(t, advisorytest.Example())
	if !bytes.Equal(first, again) {
		t.Error("two bundles of the same advisory differ")
	}
	ab, _ := bundle(t, advisorytest.Example(), second())
	ba, _ := bundle(t, second(), advisorytest.Example())
	if !bytes.Equal(ab, ba) {
		t.Error("the bundle depends on the order of the advisories")
	}
	twice, _ := bundle(t, advisorytest.Example(), second(), advisorytest.Example())
	if !bytes.Equal(ab, twice) {
		t.Error("an advisory given twice changes the bundle")
	}
	if bytes.Equal(first, ab) {
		t.Error("adding an advisory did not change the bundle")
	}
	_, objs := bundle(t, advisorytest.Example(), second())
	if n := len(ofType(objs, "identity")); n != 1 {
		t.Errorf("%d identities for one publisher, want 1", n)
	}
	if n := len(ofType(objs, "vulnerability")); n != 2 {
		t.Errorf("%d vulnerabilities for two advisories, want 2", n)
	}
	for i := 1; i < len(objs); i++ {
		p, o := objs[i-1], objs[i]
		if p.str("type") > o.str("type") || p.str("type") == o.str("type") && p.str("id") >= o.str("id") {
			t.Errorf("objects not sorted by type then id: %s before %s", p.str("id"), o.str("id"))
		}
	}
}

func TestBundleID(t *testing.T) {
	id := func(b []byte) string {
		var d obj
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		return d.str("id")
	}
	b, _ := bundle(t, advisorytest.Example())
	if !regexp.MustCompile(`^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id(b)) {
		t.Errorf("bundle id %q is not a UUIDv5 bundle id", id(b))
	}
	a := advisorytest.Example()
	a.RevisedAt = a.RevisedAt.Add(time.Hour)
	a.History[1].Date = a.RevisedAt
	revised, _ := bundle(t, a)
	if id(revised) == id(b) {
		t.Error("a new revision (new modified times) kept the bundle id")
	}
}

func TestIDsAreStable(t *testing.T) {
	_, objs := bundle(t, advisorytest.Example())
	ns := uuid.MustParse("f1b79a26-11b3-427c-a5e4-25789c0c9a19")
	want := "vulnerability--" + uuid.NewSHA1(ns, []byte("vulnerability|AICC-2026-0042")).String()
	if got := one(t, objs, "vulnerability").str("id"); got != want {
		t.Errorf("vulnerability id %s, want %s (UUIDv5 over vulnerability|AICC-2026-0042)", got, want)
	}
	if stix.Namespace != ns {
		t.Errorf("Namespace changed to %s: every published ID would change", stix.Namespace)
	}

	// A revision changes content, not IDs.
	a := advisorytest.Example()
	a.Summary.Text += " Update: 1.1 is now the default."
	a.Details.Text = "Other words."
	_, revised := bundle(t, a)
	if ids(objs) != ids(revised) {
		t.Errorf("changing the text changed the IDs:\n%s\n%s", ids(objs), ids(revised))
	}
}

func ids(objs []obj) string {
	var out []string
	for _, o := range objs {
		out = append(out, o.str("id"))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestTimestamps(t *testing.T) {
	a := advisorytest.Example()
	a.RevisedAt = time.Date(2026, 11, 25, 15, 0, 0, 123_456_789, time.FixedZone("CET", 3600))
	a.History[1].Date = a.RevisedAt
	objs, err := stix.Objects(a, pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if o.Type != "vulnerability" {
			continue
		}
		var d obj
		if err := json.Unmarshal(o.JSON, &d); err != nil {
			t.Fatal(err)
		}
		if got, want := d.str("created"), "2026-11-02T09:30:00.000Z"; got != want {
			t.Errorf("created %s, want the advisory's creation %s", got, want)
		}
		if got, want := d.str("modified"), "2026-11-25T14:00:00.123Z"; got != want {
			t.Errorf("modified %s, want the revision date in UTC to the millisecond %s", got, want)
		}
		if want := time.Date(2026, 11, 25, 14, 0, 0, 123_000_000, time.UTC); !o.Modified.Equal(want) {
			t.Errorf("Object.Modified %s, want %s", o.Modified, want)
		}
	}
}

func TestWithheldTiersAreNotRendered(t *testing.T) {
	full := advisorytest.Example()
	anon := advisory.Visible(full, advisory.Anonymous)
	if anon == nil || !anon.Details.Withheld || !anon.Payload.Withheld {
		t.Fatal("the example should show an anonymous viewer its summary only")
	}
	// Withheld with its text still set: the flag alone must keep it out.
	flagged := advisorytest.Example()
	flagged.Payload.Withheld = true
	empty := advisorytest.Example()
	empty.Details.Text = ""

	for _, tc := range []struct {
		name    string
		a       *advisory.Advisory
		absent  []string // texts that must not appear
		present []string // note contents that must
	}{
		{"anonymous", anon, []string{full.Details.Text, full.Payload.Text}, []string{full.Statement.Text}},
		{"payload flagged", flagged, []string{full.Payload.Text}, []string{full.Details.Text, full.Statement.Text}},
		{"details empty", empty, nil, []string{full.Payload.Text, full.Statement.Text}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, objs := bundle(t, tc.a)
			for _, text := range tc.absent {
				if bytes.Contains(b, []byte(text)) {
					t.Errorf("withheld text %q is in the bundle", text)
				}
			}
			var contents []string
			for _, n := range ofType(objs, "note") {
				contents = append(contents, n.str("content"))
			}
			slices.Sort(contents)
			want := slices.Sorted(slices.Values(tc.present))
			if !slices.Equal(contents, want) {
				t.Errorf("notes %q, want %q", contents, want)
			}
		})
	}
	// Nothing labelled beyond what is shown: no AMBER or RED marking.
	b, _ := bundle(t, anon)
	for _, label := range []aicc.TLP{aicc.TLPAmber, aicc.TLPRed} {
		id, _ := stix.MarkingID(label)
		if bytes.Contains(b, []byte(id)) {
			t.Errorf("the anonymous bundle carries the %s marking", label)
		}
	}
}

func withdrawn() *advisory.Advisory {
	a := advisorytest.Example()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a.State, a.Revision, a.RevisedAt, a.UpdatedAt = advisory.StateWithdrawn, 3, at, at
	a.WithdrawnAt, a.WithdrawReason = at, "The behaviour is the documented debug mode."
	a.History = append(a.History, advisory.Revision{Number: 3, Date: at, Summary: "Withdrawn."})
	return a
}

func TestWithdrawnIsRevoked(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a       *advisory.Advisory
		revoked bool
	}{{"published", advisorytest.Example(), false}, {"withdrawn", withdrawn(), true}} {
		t.Run(tc.name, func(t *testing.T) {
			_, objs := bundle(t, tc.a)
			for _, o := range objs {
				typ := o.str("type")
				want := tc.revoked && (typ == "vulnerability" || typ == "attack-pattern")
				got, present := o["revoked"]
				if want && got != true || !want && present {
					t.Errorf("%s: revoked = %v, want %v", typ, got, want)
				}
			}
			v := one(t, objs, "vulnerability")
			if tc.revoked {
				if v.str("modified") != "2026-12-01T10:00:00.000Z" {
					t.Errorf("a withdrawn vulnerability's modified is %s, want the withdrawal's revision", v.str("modified"))
				}
				if v.str("x_aicc_withdraw_reason") != tc.a.WithdrawReason {
					t.Errorf("x_aicc_withdraw_reason %q, want %q", v.str("x_aicc_withdraw_reason"), tc.a.WithdrawReason)
				}
			}
		})
	}
}
