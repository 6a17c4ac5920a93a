package provider_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

// keyCreated is the creation time of the test key; the documents are later.
var keyCreated = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// testSigner returns the signer of an Ed25519 key derived from a fixed seed:
// the same key, and so the same signatures, in every run.
func testSigner(t testing.TB) (*provider.Signer, []byte) {
	t.Helper()
	rnd := rand.NewChaCha8([32]byte{'a', 'i', 'c', 'c', '-', 't', 'e', 's', 't'})
	s, priv, err := provider.GenerateSignerFrom("AICC test key", "csaf@aicc.example", keyCreated, rnd)
	if err != nil {
		t.Fatal(err)
	}
	return s, priv
}

func testConfig(s *provider.Signer) provider.Config {
	return provider.Config{
		BaseURL: "https://aicc.example/.well-known/csaf",
		Publisher: provider.Publisher{
			Category:         "coordinator",
			ContactDetails:   "csaf@aicc.example",
			IssuingAuthority: "AICC coordinates the disclosure of vulnerabilities in AI systems.",
			Name:             "AICC Clearinghouse",
			Namespace:        "https://aicc.example",
		},
		Signer: s,
	}
}

// csafJSON renders a small CSAF 2.0 document (valid against the schema)
// with the given header values; pad adds a note of that many bytes.
func csafJSON(t testing.TB, id, tlp, initial, current, title string, pad int) []byte {
	t.Helper()
	doc := map[string]any{
		"category":     "csaf_base",
		"csaf_version": "2.0",
		"distribution": map[string]any{"tlp": map[string]any{"label": tlp}},
		"publisher": map[string]any{
			"category":  "coordinator",
			"name":      "AICC Clearinghouse",
			"namespace": "https://aicc.example",
		},
		"title": title,
		"tracking": map[string]any{
			"current_release_date": current,
			"id":                   id,
			"initial_release_date": initial,
			"revision_history": []any{
				map[string]any{"date": current, "number": "1", "summary": "Initial release."},
			},
			"status":  "final",
			"version": "1",
		},
	}
	if pad > 0 {
		b := make([]byte, pad)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		doc["notes"] = []any{map[string]any{"category": "details", "text": string(b)}}
	}
	b, err := json.MarshalIndent(map[string]any{"document": doc}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// mkdoc returns the Document of a rendered test document.
func mkdoc(t testing.TB, id, tlp, initial, current, title string) provider.Document {
	t.Helper()
	d, err := provider.ParseDocument(csafJSON(t, id, tlp, initial, current, title, 0))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sampleDocs covers every TLP, two years, an initial release date whose
// year differs in UTC (it goes in the UTC year's folder), fractional
// seconds and an ID with odd characters.
func sampleDocs(t testing.TB) []provider.Document {
	return []provider.Document{
		mkdoc(t, "AICC-2024-0001", "WHITE", "2024-03-01T10:00:00Z", "2025-01-15T08:00:00Z", "Prompt injection in Example Assistant"),
		mkdoc(t, "AICC-2024-0002", "GREEN", "2024-06-01T09:00:00Z", "2024-06-01T09:00:00Z", "Training data extraction in Example LLM"),
		mkdoc(t, "AICC-2025-0003", "WHITE", "2025-01-01T00:30:00+01:00", "2025-02-10T12:00:00.5Z", "Jailbreak of Example Guard & friends <v2>"),
		mkdoc(t, "AICC-2025-0004", "AMBER", "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z", "Model theft via Example API"),
		mkdoc(t, "AICC-2025-0005", "RED", "2025-04-01T00:00:00Z", "2025-04-01T00:00:00Z", "Unpatched backdoor in Example Weights"),
		mkdoc(t, "AICC 2025/0006 (Draft)", "WHITE", "2025-05-05T05:05:05Z", "2025-05-05T05:05:05Z", "Odd identifier"),
	}
}

// build builds the tree of docs with cfg or fails the test.
func build(t testing.TB, cfg provider.Config, docs []provider.Document) map[string][]byte {
	t.Helper()
	files, err := provider.Build(t.Context(), cfg, docs)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
