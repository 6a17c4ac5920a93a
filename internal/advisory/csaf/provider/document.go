package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Document is one rendered CSAF 2.0 document to publish. Its fields repeat
// values of the JSON, which Build checks against it; [ParseDocument] fills
// them from the JSON.
type Document struct {
	TrackingID         string    // /document/tracking/id, e.g. "AICC-2026-0001"
	TLP                string    // /document/distribution/tlp/label: WHITE, GREEN, AMBER or RED (CSAF 2.0 uses TLP v1; TLP:CLEAR is WHITE)
	InitialReleaseDate time.Time // /document/tracking/initial_release_date; its year in UTC names the folder
	CurrentReleaseDate time.Time // /document/tracking/current_release_date
	Title              string    // /document/title
	JSON               []byte    // the document, published byte for byte; Build keeps a reference, so do not change it afterwards
}

// tlpFolders maps each TLP label a document may carry to its folder, in the
// order feeds are listed.
var tlpFolders = []struct{ label, folder string }{
	{"WHITE", "white"}, {"GREEN", "green"}, {"AMBER", "amber"}, {"RED", "red"},
}

// folderOf returns the folder of a TLP label, or "" for an unknown label.
func folderOf(label string) string {
	for _, t := range tlpFolders {
		if t.label == label {
			return t.folder
		}
	}
	return ""
}

// header is the part of a CSAF document that the distribution depends on.
type header struct {
	Document struct {
		Title        string `json:"title"`
		Distribution struct {
			TLP struct {
				Label string `json:"label"`
			} `json:"tlp"`
		} `json:"distribution"`
		Tracking struct {
			ID                 string `json:"id"`
			InitialReleaseDate string `json:"initial_release_date"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
	} `json:"document"`
}

// ParseDocument reads the fields of a Document from a rendered CSAF document.
func ParseDocument(csafJSON []byte) (Document, error) {
	var h header
	if err := json.Unmarshal(csafJSON, &h); err != nil {
		return Document{}, fmt.Errorf("parse CSAF document: %w", err)
	}
	t := h.Document.Tracking
	d := Document{TrackingID: t.ID, TLP: h.Document.Distribution.TLP.Label, Title: h.Document.Title, JSON: csafJSON}
	var err1, err2 error
	d.InitialReleaseDate, err1 = parseDate("initial_release_date", t.InitialReleaseDate)
	d.CurrentReleaseDate, err2 = parseDate("current_release_date", t.CurrentReleaseDate)
	if err := errors.Join(err1, err2); err != nil {
		return Document{}, fmt.Errorf("parse CSAF document %q: %w", t.ID, err)
	}
	return d, nil
}

func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("/document/tracking/%s is missing", field)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("/document/tracking/%s %q is not an RFC 3339 date-time", field, s)
	}
	return t, nil
}

// Validate reports the first field that is missing, unknown or disagrees
// with the JSON, naming the document and the field.
func (d Document) Validate() error {
	_, err := d.check()
	return err
}

// check validates d and returns the year of its initial release in UTC,
// which names its folder (requirement 11). The specification says only "the
// year given in the value"; gocsaf's csaf_checker takes the UTC year, and
// for the UTC dates aicc renders both readings agree.
func (d Document) check() (int, error) {
	if d.TrackingID == "" {
		return 0, errors.New("document without TrackingID")
	}
	if strings.TrimSpace(d.TrackingID) != d.TrackingID {
		return 0, fmt.Errorf("document %q: TrackingID has leading or trailing white space", d.TrackingID)
	}
	if folderOf(d.TLP) == "" {
		hint := ""
		if strings.EqualFold(d.TLP, "CLEAR") || strings.EqualFold(d.TLP, "TLP:CLEAR") {
			hint = "; CSAF 2.0 uses TLP v1 labels, where TLP:CLEAR is WHITE"
		}
		return 0, fmt.Errorf("document %q: unknown TLP %q (want WHITE, GREEN, AMBER or RED%s)", d.TrackingID, d.TLP, hint)
	}
	if d.InitialReleaseDate.IsZero() || d.CurrentReleaseDate.IsZero() {
		return 0, fmt.Errorf("document %q: InitialReleaseDate and CurrentReleaseDate are required", d.TrackingID)
	}
	if len(d.JSON) == 0 {
		return 0, fmt.Errorf("document %q: JSON is empty", d.TrackingID)
	}
	j, err := ParseDocument(d.JSON)
	if err != nil {
		return 0, fmt.Errorf("document %q: %w", d.TrackingID, err)
	}
	for _, c := range []struct {
		field, json, want, got string
	}{
		{"TrackingID", "/document/tracking/id", d.TrackingID, j.TrackingID},
		{"TLP", "/document/distribution/tlp/label", d.TLP, j.TLP},
		{"Title", "/document/title", d.Title, j.Title},
	} {
		if c.want != c.got {
			return 0, fmt.Errorf("document %q: %s is %q but the JSON has %s %q", d.TrackingID, c.field, c.want, c.json, c.got)
		}
	}
	if !d.InitialReleaseDate.Equal(j.InitialReleaseDate) {
		return 0, fmt.Errorf("document %q: InitialReleaseDate is %s but the JSON has %s", d.TrackingID, stamp(d.InitialReleaseDate), stamp(j.InitialReleaseDate))
	}
	if !d.CurrentReleaseDate.Equal(j.CurrentReleaseDate) {
		return 0, fmt.Errorf("document %q: CurrentReleaseDate is %s but the JSON has %s", d.TrackingID, stamp(d.CurrentReleaseDate), stamp(j.CurrentReleaseDate))
	}
	return d.InitialReleaseDate.UTC().Year(), nil
}

// Filename returns the file name of the CSAF document with the given
// tracking ID (section 5.1, requirement 2): the ID in lower case, every run
// of characters outside [+\-a-z0-9] replaced by one "_", and ".json".
func Filename(trackingID string) string {
	var b strings.Builder
	b.Grow(len(trackingID) + len(".json"))
	run := false
	for _, r := range strings.ToLower(trackingID) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-' {
			b.WriteRune(r)
			run = false
			continue
		}
		if !run {
			b.WriteByte('_')
			run = true
		}
	}
	b.WriteString(".json")
	return b.String()
}

// stamp formats t as the RFC 3339 UTC time stamp used in every file.
func stamp(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
