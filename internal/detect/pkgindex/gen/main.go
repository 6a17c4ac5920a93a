//go:build ignore

// Command gen writes pkgindex's name lists, pypi.txt.gz and npm.txt.gz,
// from listings of the registries' packages: tab-separated files whose
// first line is a header and whose first column is the package name. It
// writes each list sorted (bytewise), without repeats, one name a line,
// PyPI names normalised as PEP 503 says (lower case, runs of -_. as one -).
// It fails if the two files together exceed -max bytes.
//
// From internal/detect/pkgindex:
//
//	go run gen/main.go -pypi PATH/pypi.tsv -npm PATH/npm.tsv
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	pypi := flag.String("pypi", "/work/.library/env/packages/pypi.tsv", "the PyPI listing")
	npm := flag.String("npm", "/work/.library/env/packages/npm.tsv", "the npm listing")
	out := flag.String("out", ".", "the directory to write the lists to")
	limit := flag.Int("max", 8<<20, "the most bytes the compressed lists may take together")
	flag.Parse()
	total := 0
	for _, l := range []struct {
		src, dst  string
		normalise func(string) string
	}{
		{*pypi, "pypi.txt.gz", pep503},
		{*npm, "npm.txt.gz", strings.TrimSpace},
	} {
		n, size, err := write(l.src, filepath.Join(*out, l.dst), l.normalise)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d names, %d bytes\n", l.dst, n, size)
		total += size
	}
	if total > *limit {
		fmt.Fprintf(os.Stderr, "gen: the lists take %d bytes, over -max %d: cut the least-downloaded names\n", total, *limit)
		os.Exit(1)
	}
}

// write reads the names of the listing src and writes them to dst.
func write(src, dst string, normalise func(string) string) (names, size int, err error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var list []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue // the header
		}
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if name = normalise(name); name != "" && !strings.ContainsAny(name, " \r\n") {
			list = append(list, name)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", src, err)
	}
	slices.Sort(list)
	list = slices.Compact(list)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	for _, name := range list {
		zw.Write([]byte(name + "\n")) // writes to a bytes.Buffer do not fail
	}
	if err := zw.Close(); err != nil {
		return 0, 0, fmt.Errorf("compress %s: %w", dst, err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		return 0, 0, fmt.Errorf("write %s: %w", dst, err)
	}
	return len(list), buf.Len(), nil
}

// pep503 normalises a PyPI project name: lower case, with each run of
// '-', '_' and '.' made one '-' (pkgindex.Normalize does the same).
func pep503(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
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
