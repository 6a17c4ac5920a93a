package provider_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

func TestFilename(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		// The examples of section 5.1.
		{"cisco-sa-20190513-secureboot", "cisco-sa-20190513-secureboot.json"},
		{"Example Company - 2019-YH3234", "example_company_-_2019-yh3234.json"},
		{"RHBA-2019:0024", "rhba-2019_0024.json"},
		{"2022_#01-A", "2022_01-a.json"},
		// Ours and odd ones.
		{"AICC-2026-0001", "aicc-2026-0001.json"},
		{"a+b", "a+b.json"},
		{"a.b.c", "a_b_c.json"},
		{"../../etc/passwd", "_etc_passwd.json"},
		{"__x__", "_x_.json"},
		{"ÄICC–1", "_icc_1.json"},   // non-ASCII letters and dashes are replaced
		{"\u212A-1", "k-1.json"},    // the Kelvin sign lower-cases to ASCII k
		{"日本語", "_.json"},           // one run, one underscore
		{"x\ty\nz", "x_y_z.json"},   // white space
		{"UPPER", "upper.json"},     // lower case first
		{"a--b++c", "a--b++c.json"}, // kept characters are never merged
	} {
		t.Run(tc.id, func(t *testing.T) {
			if got := provider.Filename(tc.id); got != tc.want {
				t.Errorf("Filename(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

var filenameRE = regexp.MustCompile(`^[+\-a-z0-9_]*\.json$`)

func FuzzFilename(f *testing.F) {
	for _, s := range []string{"AICC-2026-0001", "2022_#01-A", "", "日本語", "__"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		name := provider.Filename(id)
		if !filenameRE.MatchString(name) || strings.Contains(name, "__") {
			t.Errorf("Filename(%q) = %q", id, name)
		}
		if provider.Filename(strings.TrimSuffix(name, ".json")) != name {
			t.Errorf("Filename is not idempotent on %q", name)
		}
	})
}

func TestParseDocument(t *testing.T) {
	d, err := provider.ParseDocument(csafJSON(t, "AICC-2025-0003", "AMBER", "2025-01-01T00:30:00+01:00", "2025-02-10T12:00:00.5Z", "T", 0))
	if err != nil {
		t.Fatal(err)
	}
	if d.TrackingID != "AICC-2025-0003" || d.TLP != "AMBER" || d.Title != "T" {
		t.Errorf("got %+v", d)
	}
	if want := time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC); !d.InitialReleaseDate.Equal(want) {
		t.Errorf("InitialReleaseDate = %v, want %v", d.InitialReleaseDate, want)
	}
	if want := time.Date(2025, 2, 10, 12, 0, 0, 5e8, time.UTC); !d.CurrentReleaseDate.Equal(want) {
		t.Errorf("CurrentReleaseDate = %v, want %v", d.CurrentReleaseDate, want)
	}

	for name, tc := range map[string]struct {
		json, want string
	}{
		"not JSON":     {`{"document":`, "parse CSAF document"},
		"no dates":     {`{"document":{"tracking":{"id":"X"}}}`, "initial_release_date is missing"},
		"bad date":     {`{"document":{"tracking":{"id":"X","initial_release_date":"2025-01-01","current_release_date":"2025-01-01T00:00:00Z"}}}`, `"2025-01-01" is not an RFC 3339 date-time`},
		"bad currrent": {`{"document":{"tracking":{"id":"X","initial_release_date":"2025-01-01T00:00:00Z","current_release_date":"yesterday"}}}`, "current_release_date"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := provider.ParseDocument([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestDocumentValidate(t *testing.T) {
	good := mkdoc(t, "AICC-1", "GREEN", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "Title")
	if err := good.Validate(); err != nil {
		t.Fatalf("valid document: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*provider.Document)
		want   string
	}{
		"unknown TLP":   {func(d *provider.Document) { d.TLP = "PURPLE" }, `document "AICC-1": unknown TLP "PURPLE"`},
		"TLP 2.0 label": {func(d *provider.Document) { d.TLP = "CLEAR" }, "TLP:CLEAR is WHITE"},
		"lower case":    {func(d *provider.Document) { d.TLP = "green" }, `unknown TLP "green"`},
		"no ID":         {func(d *provider.Document) { d.TrackingID = "" }, "without TrackingID"},
		"spaces":        {func(d *provider.Document) { d.TrackingID = " AICC-1" }, "white space"},
		"no date":       {func(d *provider.Document) { d.CurrentReleaseDate = time.Time{} }, "CurrentReleaseDate are required"},
		"no JSON":       {func(d *provider.Document) { d.JSON = nil }, "JSON is empty"},
		"other ID":      {func(d *provider.Document) { d.TrackingID = "AICC-2" }, `TrackingID is "AICC-2" but the JSON has /document/tracking/id "AICC-1"`},
		"other TLP":     {func(d *provider.Document) { d.TLP = "WHITE" }, `the JSON has /document/distribution/tlp/label "GREEN"`},
		"other title":   {func(d *provider.Document) { d.Title = "x" }, "/document/title"},
		"other initial": {func(d *provider.Document) { d.InitialReleaseDate = d.InitialReleaseDate.Add(time.Second) }, "InitialReleaseDate is 2025-01-01T00:00:01Z but the JSON has 2025-01-01T00:00:00Z"},
		"other current": {func(d *provider.Document) { d.CurrentReleaseDate = d.CurrentReleaseDate.Add(-time.Hour) }, "CurrentReleaseDate is"},
	} {
		t.Run(name, func(t *testing.T) {
			d := good
			tc.change(&d)
			err := d.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
