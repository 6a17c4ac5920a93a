package pkgindex

import (
	"fmt"
	"slices"
	"testing"
)

func TestHas(t *testing.T) {
	tests := []struct {
		ecosystem, name string
		want            bool
	}{
		{PyPI, "requests", true},
		{PyPI, "numpy", true},
		{PyPI, "Django", true},
		{PyPI, "Flask_Login", true},
		{PyPI, "scikit-learn", true},
		{PyPI, "huggingface.hub", true},
		{PyPI, "reqeusts", false},
		{PyPI, "requests-oauth3", false},
		{PyPI, "fastpdf-merge-pro", false},
		{PyPI, "", false},
		{NPM, "express", true},
		{NPM, "@types/node", true},
		{NPM, "left-pad", true},
		{NPM, "@scope/does-not-exist", false},
		{NPM, "react-native-super-utils-pro", false},
		{NPM, "EXPRESS", false}, // npm names are compared as written
		{"cargo", "serde", false},
	}
	for _, tt := range tests {
		t.Run(tt.ecosystem+"/"+tt.name, func(t *testing.T) {
			if got := Has(tt.ecosystem, tt.name); got != tt.want {
				t.Errorf("Has(%q, %q) = %v, want %v", tt.ecosystem, tt.name, got, tt.want)
			}
		})
	}
}

// TestLists checks the embedded lists: sorted, without repeats, PyPI names
// already normalised, and the first and last names found.
func TestLists(t *testing.T) {
	for _, eco := range Ecosystems() {
		t.Run(eco, func(t *testing.T) {
			if n := Len(eco); n < 100_000 {
				t.Fatalf("Len(%s) = %d, want over 100000", eco, n)
			}
			l := lists[eco]
			for i := range l.starts {
				name := l.name(i)
				if name == "" || i > 0 && l.name(i-1) >= name {
					t.Fatalf("name %d %q is empty or out of order", i, name)
				}
				if Normalize(eco, name) != name {
					t.Fatalf("name %d %q is not normalised", i, name)
				}
			}
			for _, i := range []int{0, len(l.starts) - 1} {
				if !Has(eco, l.name(i)) {
					t.Errorf("Has(%s, %q) = false for name %d", eco, l.name(i), i)
				}
			}
		})
	}
	if got := Ecosystems(); !slices.Equal(got, []string{NPM, PyPI}) {
		t.Errorf("Ecosystems() = %v", got)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"requests": "requests", "Flask_Login": "flask-login", "zope.interface": "zope-interface",
		"a--b__c..d": "a-b-c-d", "A-_.B": "a-b", "-x-": "-x-",
	} {
		if got := Normalize(PyPI, in); got != want {
			t.Errorf("Normalize(pypi, %q) = %q, want %q", in, got, want)
		}
	}
	if got := Normalize(NPM, "Foo_Bar"); got != "Foo_Bar" {
		t.Errorf("Normalize(npm) changed the name: %q", got)
	}
}

func ExampleHas() {
	fmt.Println(Has("pypi", "Requests"), Has("pypi", "reqeusts"), Has("npm", "@types/node"))
	// Output: true false true
}

func BenchmarkHas(b *testing.B) {
	Has(PyPI, "requests") // load outside the timing
	names := []string{"requests", "numpy", "fastpdf-merge-pro", "Flask_Login"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Has(PyPI, names[i%len(names)])
	}
}
