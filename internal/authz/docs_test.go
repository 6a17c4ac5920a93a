package authz_test

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the matrix in docs/authz.md from the expectations")

const (
	docsPath    = "../../docs/authz.md"
	matrixBegin = "<!-- matrix: written by `go test ./internal/authz -update` from the test's expectations; do not edit -->\n"
	matrixEnd   = "<!-- end of matrix -->\n"
)

// cellLabels names the patterns of each family (by its number of variants)
// in the docs.
var cellLabels = map[int]map[string]string{
	len(orgFamily):      {"YY": "all", "YN": "own org", "NN": "—"},
	len(memberFamily):   {"YYY": "all", "YYN": "own org", "YNN": "self", "NYY": "all but self", "NYN": "own org but self", "NNN": "—"},
	len(reviewFamily):   {"YYYY": "all", "YNNN": "own org", "NNYY": "shared", "NNYN": "shared, not RED", "NNNN": "—"},
	len(advisoryFamily): {strings.Repeat("Y", len(advisoryFamily)): "all", pubRead: "published", "Y" + strings.Repeat("N", len(advisoryFamily)-1): "own", strings.Repeat("N", len(advisoryFamily)): "—"},
}

// scopeLabels names list scopes in the docs: a list row shows what the
// list returns, not only whether it may be asked for.
var scopeLabels = map[string]string{
	"all": "all", "org": "own org", "user": "self", "shared": "shared", "shared-notred": "shared, not RED",
	"published": "published", "none": "—",
}

func renderMatrix(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("| action |")
	for _, c := range columns {
		b.WriteString(" " + c.head + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(columns)) + "\n")
	for _, e := range expectations {
		b.WriteString("| `" + string(e.action) + "` |")
		list := strings.HasSuffix(string(e.action), ".list")
		var sc []string
		if list {
			sc = scopeCells(t, e.kind)
		}
		for i, cell := range e.expand(t) {
			label, ok := cellLabels[len(e.family)][cell]
			if list {
				label, ok = scopeLabels[sc[i]]
				if (sc[i] == "none") != !strings.Contains(cell, "Y") {
					t.Errorf("%s, %s: scope %s but cell %s", e.action, columns[i].head, sc[i], cell)
				}
			}
			if !ok {
				t.Fatalf("%s, %s: cell %s has no label in the docs legend", e.action, columns[i].head, cell)
			}
			b.WriteString(" " + label + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDocsMatrix(t *testing.T) {
	doc, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read docs: %v", err)
	}
	before, rest, ok1 := strings.Cut(string(doc), matrixBegin)
	_, after, ok2 := strings.Cut(rest, matrixEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s: matrix markers not found", docsPath)
	}
	want := before + matrixBegin + renderMatrix(t) + matrixEnd + after
	if *update {
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatalf("write docs: %v", err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("the matrix in %s is out of date with the expectations; run go test ./internal/authz -update", docsPath)
	}
}
