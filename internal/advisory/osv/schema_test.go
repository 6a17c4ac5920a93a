package osv_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/osv"
)

// testdata/schema.json is ossf/osv-schema's validation/schema.json at
// 51b8156b (schema 1.7.5, JSON Schema draft 2020-12), copied unchanged.
const schemaFile = "testdata/schema.json"

var schema = advisorytest.Schema(schemaFile)

// validate checks a record against the official schema.
func validate(t *testing.T, raw []byte) {
	t.Helper()
	if err := schema.Check(raw); err != nil {
		t.Errorf("record is not valid OSV: %v\n%s", err, raw)
	}
}

// TestSchemaRejects makes sure the validator is not vacuous, and shows why
// the record's id carries a prefix: the schema accepts only registered
// database prefixes and x_.
func TestSchemaRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"unregistered prefix": `{"schema_version":"1.7.5","id":"AICC-2026-0042","modified":"2026-11-25T14:00:00Z"}`,
		"local time":          `{"schema_version":"1.7.5","id":"x_AICC-2026-0042","modified":"2026-11-25T14:00:00+01:00"}`,
		"unknown ecosystem": `{"schema_version":"1.7.5","id":"x_AICC-2026-0042","modified":"2026-11-25T14:00:00Z",
			"affected":[{"package":{"ecosystem":"pypi","name":"x"}}]}`,
	} {
		if !json.Valid([]byte(raw)) {
			t.Fatalf("%s: not JSON", name)
		}
		if schema.Check([]byte(raw)) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

// TestEcosystemsMatchSchema checks that the embedded ecosystems.json and
// the schema name the same ecosystems: both come from one commit.
func TestEcosystemsMatchSchema(t *testing.T) {
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs struct {
			EcosystemName struct {
				Enum []string `json:"enum"`
			} `json:"ecosystemName"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(s.Defs.EcosystemName.Enum))
	if got := osv.Ecosystems(); !slices.Equal(got, want) {
		t.Errorf("Ecosystems() = %v\nthe schema lists %v", got, want)
	}
}
