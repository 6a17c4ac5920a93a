package openvex

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// Context is the JSON-LD context of the OpenVEX version written.
const Context = "https://openvex.dev/ns/v0.2.0"

// document is an OpenVEX document, its fields in the specification's order.
type document struct {
	Context     string      `json:"@context"`
	ID          string      `json:"@id"`
	Author      string      `json:"author"`
	Role        string      `json:"role,omitempty"`
	Timestamp   string      `json:"timestamp"`
	LastUpdated string      `json:"last_updated,omitempty"`
	Version     int         `json:"version"`
	Tooling     string      `json:"tooling,omitempty"`
	Statements  []statement `json:"statements"`
}

type statement struct {
	Vulnerability   vulnerability `json:"vulnerability"`
	Products        []component   `json:"products"`
	Status          string        `json:"status"`
	Supplier        string        `json:"supplier,omitempty"`
	StatusNotes     string        `json:"status_notes,omitempty"`
	Justification   string        `json:"justification,omitempty"`
	ImpactStatement string        `json:"impact_statement,omitempty"`
	ActionStatement string        `json:"action_statement,omitempty"`
}

type vulnerability struct {
	ID          string `json:"@id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type component struct {
	ID          string      `json:"@id"`
	Identifiers identifiers `json:"identifiers"`
}

type identifiers struct {
	PURL string `json:"purl"`
}

// Encode returns the OpenVEX document of one revision of a as p publishes
// it. It renders what it is given: the caller passes the copy an audience
// may see (advisory.Visible).
func Encode(a *advisory.Advisory, p advisory.Publisher) ([]byte, error) {
	if a == nil {
		return nil, errors.New("openvex document: no advisory")
	}
	doc, err := build(a, p)
	if err != nil {
		return nil, fmt.Errorf("openvex document for %s: %w", a.ID, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the text is not HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("openvex document for %s: %w", a.ID, err)
	}
	return buf.Bytes(), nil
}

func build(a *advisory.Advisory, p advisory.Publisher) (*document, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Name) == "" || strings.TrimSpace(p.BaseURL) == "" {
		return nil, errors.New("the publisher's name and base URL are required")
	}
	date := revised(a)
	if date.IsZero() {
		return nil, errors.New("the advisory has no date")
	}
	v := vulnerability{ID: p.URL(a.ID), Name: a.ID, Description: a.Title}
	if a.State == advisory.StateWithdrawn {
		v.Description = "[WITHDRAWN] " + a.Title
	}
	stmts := modelStatements(a, p, v)
	stmts = append(stmts, packageStatements(a, p, v)...)
	if a.State == advisory.StateWithdrawn {
		notice := withdrawal(a)
		for i := range stmts {
			stmts[i].StatusNotes = join(notice, stmts[i].StatusNotes)
		}
	}
	stmts, err := sortStatements(stmts)
	if err != nil {
		return nil, err
	}
	ts := date.UTC().Format(time.RFC3339)
	return &document{
		Context: Context, ID: p.URL(a.ID) + "/openvex", Author: p.Name, Role: "Coordinator",
		Timestamp: ts, LastUpdated: ts, Version: a.Revision, Statements: stmts,
	}, nil
}

// revised is the date of a's current revision: the withdrawal's when it
// is later, the last update's for a draft.
func revised(a *advisory.Advisory) time.Time {
	t := a.RevisedAt
	for _, u := range []time.Time{a.PublishedAt, a.UpdatedAt, a.CreatedAt} {
		if t.IsZero() {
			t = u
		}
	}
	if a.State == advisory.StateWithdrawn && a.WithdrawnAt.After(t) {
		t = a.WithdrawnAt
	}
	return t
}

func withdrawal(a *advisory.Advisory) string {
	s := "This advisory was withdrawn"
	if !a.WithdrawnAt.IsZero() {
		s += " on " + a.WithdrawnAt.UTC().Format(time.DateOnly)
	}
	if r := strings.TrimSpace(a.WithdrawReason); r != "" {
		return s + ": " + sentence(r)
	}
	return s + "."
}

// sortStatements orders statements by product, status and content, and
// drops exact duplicates (the schema wants unique items).
func sortStatements(stmts []statement) ([]statement, error) {
	type keyed struct {
		s    statement
		json []byte
	}
	ks := make([]keyed, len(stmts))
	for i, s := range stmts {
		b, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		ks[i] = keyed{s, b}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		return cmp.Or(strings.Compare(x.s.Products[0].ID, y.s.Products[0].ID), strings.Compare(x.s.Status, y.s.Status),
			bytes.Compare(x.json, y.json))
	})
	ks = slices.CompactFunc(ks, func(x, y keyed) bool { return bytes.Equal(x.json, y.json) })
	out := make([]statement, len(ks))
	for i, k := range ks {
		out[i] = k.s
	}
	return out, nil
}

// join joins the non-empty sentences of parts with spaces.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// sentence ends s with a full stop unless it ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}
