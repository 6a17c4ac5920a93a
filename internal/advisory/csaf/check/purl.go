package check

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// checkPURL checks the syntax of a package URL following the parsing rules
// of the purl specification (github.com/package-url/purl-spec):
// pkg:type/namespace/name@version?qualifiers#subpath.
func checkPURL(s string) error {
	rest, subpath, _ := cutLast(s, "#")
	if subpath != "" {
		for _, seg := range strings.Split(strings.Trim(subpath, "/"), "/") {
			if _, err := url.PathUnescape(seg); err != nil {
				return fmt.Errorf("subpath segment %q: %w", seg, err)
			}
		}
	}
	rest, qualifiers, _ := cutLast(rest, "?")
	if err := checkPURLQualifiers(qualifiers); err != nil {
		return err
	}
	scheme, rest, ok := strings.Cut(rest, ":")
	if !ok || !strings.EqualFold(scheme, "pkg") {
		return errors.New(`scheme must be "pkg"`)
	}
	rest = strings.Trim(rest, "/")
	typ, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return errors.New("missing name")
	}
	if err := checkPURLType(typ); err != nil {
		return err
	}
	rest, version, hasVersion := cutLast(rest, "@")
	if hasVersion {
		if version == "" {
			return errors.New("empty version after @")
		}
		if _, err := url.PathUnescape(version); err != nil {
			return fmt.Errorf("version: %w", err)
		}
	}
	namespace, name, found := cutLast(rest, "/")
	if !found {
		namespace, name = "", rest
	}
	decoded, err := url.PathUnescape(name)
	if err != nil {
		return fmt.Errorf("name: %w", err)
	}
	if decoded == "" {
		return errors.New("missing name")
	}
	for _, seg := range strings.Split(namespace, "/") {
		if seg == "" {
			continue
		}
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return fmt.Errorf("namespace segment %q: %w", seg, err)
		}
		if strings.Contains(dec, "/") {
			return fmt.Errorf("namespace segment %q contains an encoded /", seg)
		}
	}
	return nil
}

func checkPURLType(typ string) error {
	if typ == "" {
		return errors.New("missing type")
	}
	if typ[0] >= '0' && typ[0] <= '9' {
		return fmt.Errorf("type %q starts with a digit", typ)
	}
	for _, c := range typ {
		if !isASCIIAlnum(c) && c != '.' && c != '+' && c != '-' {
			return fmt.Errorf("type %q contains %q", typ, c)
		}
	}
	return nil
}

func checkPURLQualifiers(q string) error {
	if q == "" {
		return nil
	}
	seen := map[string]bool{}
	for _, pair := range strings.Split(q, "&") {
		if pair == "" {
			continue
		}
		key, value, ok := strings.Cut(pair, "=")
		if !ok || key == "" {
			return fmt.Errorf("qualifier %q is not key=value", pair)
		}
		key = strings.ToLower(key)
		if key[0] >= '0' && key[0] <= '9' {
			return fmt.Errorf("qualifier key %q starts with a digit", key)
		}
		for _, c := range key {
			if !isASCIIAlnum(c) && c != '.' && c != '-' && c != '_' {
				return fmt.Errorf("qualifier key %q contains %q", key, c)
			}
		}
		if seen[key] {
			return fmt.Errorf("qualifier key %q is repeated", key)
		}
		seen[key] = true
		if _, err := url.PathUnescape(value); err != nil {
			return fmt.Errorf("qualifier %q: %w", key, err)
		}
	}
	return nil
}

func isASCIIAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// cutLast slices s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
