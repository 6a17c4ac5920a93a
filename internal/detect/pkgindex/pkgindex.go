// Package pkgindex knows which package names exist on PyPI and npm, so
// that a detector can tell a real dependency from one a model made up.
//
// The names come from listings of the two registries taken on one day
// (2025-11-28): pypi.txt.gz holds every PyPI project in its listing (886,323
// names, normalised as PEP 503 says), npm.txt.gz every npm package in its
// listing (226,994 names). The npm listing covers the packages that had
// about 480 or more downloads a month then, not the whole registry, so a
// real but little-used npm package, or any package published since, reads
// as unknown; the PyPI listing is near complete but equally dated. No names
// were cut to fit a size budget: the two files take 5.3 MB.
//
// To regenerate, from this directory, with the listings (tab-separated,
// a header line, the name in the first column):
//
//	go run gen/main.go -pypi PATH/pypi.tsv -npm PATH/npm.tsv
//
// Each list is decompressed on first use, once, into one string and an
// index of line starts (about 16 MB for PyPI, 6 MB for npm).
package pkgindex

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:generate go run gen/main.go

//go:embed pypi.txt.gz npm.txt.gz
var files embed.FS

// The ecosystems the index covers.
const (
	PyPI = "pypi"
	NPM  = "npm"
)

// Ecosystems lists the ecosystems the index covers.
func Ecosystems() []string { return []string{NPM, PyPI} }

// list is one ecosystem's sorted names: data holds them one a line, and
// starts[i] is where name i begins.
type list struct {
	file   string
	once   sync.Once
	data   string
	starts []uint32
}

var lists = map[string]*list{
	PyPI: {file: "pypi.txt.gz"},
	NPM:  {file: "npm.txt.gz"},
}

// Has reports whether name is a package in ecosystem (pypi or npm). PyPI
// names are compared after PEP 503 normalisation ("Flask_Login" is
// "flask-login"); npm names are compared as written. Has reports false
// for an ecosystem it does not cover.
func Has(ecosystem, name string) bool {
	l := lists[ecosystem]
	if l == nil || name == "" {
		return false
	}
	l.load()
	name = Normalize(ecosystem, name)
	i := sort.Search(len(l.starts), func(i int) bool { return l.name(i) >= name })
	return i < len(l.starts) && l.name(i) == name
}

// Len returns the number of names the index holds for ecosystem.
func Len(ecosystem string) int {
	l := lists[ecosystem]
	if l == nil {
		return 0
	}
	l.load()
	return len(l.starts)
}

// Normalize returns name as the index stores it: for PyPI, lower case with
// each run of '-', '_' and '.' made one '-' (PEP 503); otherwise unchanged.
func Normalize(ecosystem, name string) string {
	if ecosystem != PyPI {
		return name
	}
	normal := true
	for i := 0; i < len(name) && normal; i++ {
		c := name[i]
		normal = !('A' <= c && c <= 'Z' || c == '_' || c == '.' || c == '-' && i > 0 && name[i-1] == '-')
	}
	if normal {
		return name // the common case: nothing to allocate
	}
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			if !sep {
				b.WriteByte('-')
			}
			sep = true
			continue
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

func (l *list) name(i int) string {
	end := len(l.data) - 1 // the last name ends before the final newline
	if i+1 < len(l.starts) {
		end = int(l.starts[i+1]) - 1
	}
	return l.data[l.starts[i]:end]
}

// load decompresses the list once. The lists are embedded and checked by
// the package's tests, so a failure here is a broken build: it panics.
func (l *list) load() {
	l.once.Do(func() {
		data, err := read(l.file)
		if err != nil {
			panic(fmt.Sprintf("pkgindex: %v", err))
		}
		l.data = data
		l.starts = make([]uint32, 0, strings.Count(data, "\n"))
		for at := 0; at < len(data); {
			l.starts = append(l.starts, uint32(at))
			at += strings.IndexByte(data[at:], '\n') + 1
		}
	})
}

func read(file string) (string, error) {
	f, err := files.Open(file)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", file, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	var b strings.Builder
	if _, err := io.Copy(&b, zr); err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	data := b.String()
	if data != "" && !strings.HasSuffix(data, "\n") {
		return "", fmt.Errorf("read %s: the last line has no newline", file)
	}
	return data, nil
}
