package coverage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxFileSize is the largest policy file LoadDir reads.
const MaxFileSize = 1 << 20

// Parse decodes a policy file strictly (unknown fields are errors) and
// validates it. file names the source in problems; the digest covers src
// exactly. Any problem, syntax or semantic, is reported as a *LintError
// whose problems name file:line:col and the field.
func Parse(file string, src []byte) (*Policy, error) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(file, nil, err)
	}
	var bodies []ast.Node
	for _, d := range f.Docs {
		if d.Body != nil {
			bodies = append(bodies, d.Body)
		}
	}
	switch {
	case len(bodies) == 0:
		return nil, &LintError{Problems: []Problem{{File: file, Line: 1, Column: 1,
			Message: fmt.Sprintf("the file is empty; a coverage policy starts with format: %d", FormatVersion)}}}
	case len(bodies) > 1:
		line, col := nodePos(bodies[1])
		return nil, &LintError{Problems: []Problem{{File: file, Line: line, Column: col,
			Message: "a policy file holds one YAML document; remove the second"}}}
	}
	body := bodies[0]
	if err := checkExpansion(file, body); err != nil {
		return nil, err
	}
	p, err := decode(body)
	if err != nil {
		return nil, yamlError(file, body, err)
	}
	sum := sha256.Sum256(src)
	p.Digest = "sha256:" + hex.EncodeToString(sum[:])
	p.File = file
	p.versionLine, p.versionCol = locate(body, "version")
	if err := p.validate(body); err != nil {
		return nil, err
	}
	return p, nil
}

// decode decodes the document strictly. It turns a panic of the YAML
// decoder (seen on malformed tagged nodes) into an error.
func decode(body ast.Node) (p *Policy, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the YAML decoder failed on this document (%v); check tags (!...) and indentation", r)
		}
	}()
	p = new(Policy)
	if err := yaml.NodeToValue(body, p, yaml.Strict()); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadDir parses every *.yaml and *.yml file at the top of fsys (for
// example os.DirFS of `aicc serve --policies DIR`), in name order. Files
// whose names start with "." are skipped. It reports every problem of every
// file together, as one *LintError, including two files that define the
// same policy id and version.
func LoadDir(fsys fs.FS) ([]*Policy, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read policy directory: %w", err)
	}
	var (
		policies []*Policy
		problems []Problem
	)
	for _, e := range entries {
		name := e.Name()
		ext := path.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		src, err := readFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, err := Parse(name, src)
		var le *LintError
		if errors.As(err, &le) {
			problems = append(problems, le.Problems...)
			continue
		} else if err != nil {
			return nil, fmt.Errorf("load policy %s: %w", name, err)
		}
		policies = append(policies, p)
	}
	problems = append(problems, duplicates(policies)...)
	if len(problems) > 0 {
		return nil, &LintError{Problems: problems}
	}
	return policies, nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", name, err)
	}
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("read policy %s: larger than %d bytes", name, MaxFileSize)
	}
	return src, nil
}

// duplicates reports each policy whose id and version an earlier one has.
func duplicates(ps []*Policy) []Problem {
	var problems []Problem
	first := map[string]*Policy{}
	for _, p := range ps {
		key := p.ID + "@" + p.Version
		if q, dup := first[key]; dup {
			problems = append(problems, Problem{File: p.File, Line: p.versionLine, Column: p.versionCol, Field: "version",
				Message: fmt.Sprintf("policy %s version %s is already defined in %s; give a changed policy a new version", p.ID, p.Version, q.File)})
			continue
		}
		first[key] = p
	}
	return problems
}

// Merge joins sets of policies, for example the built-in ones and those of
// a directory. The same id and version may appear twice only with the same
// digest (the same file).
func Merge(sets ...[]*Policy) ([]*Policy, error) {
	var all []*Policy
	seen := map[string]*Policy{}
	var problems []Problem
	for _, set := range sets {
		for _, p := range set {
			key := p.ID + "@" + p.Version
			if q, dup := seen[key]; dup {
				if q.Digest != p.Digest || p.Digest == "" {
					problems = append(problems, Problem{File: p.File, Line: p.versionLine, Column: p.versionCol, Field: "version",
						Message: fmt.Sprintf("policy %s version %s is already defined in %s; give a changed policy a new version", p.ID, p.Version, q.File)})
				}
				continue
			}
			seen[key] = p
			all = append(all, p)
		}
	}
	if len(problems) > 0 {
		return nil, &LintError{Problems: problems}
	}
	return slices.Clip(all), nil
}
