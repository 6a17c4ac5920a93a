package csaf

import (
	"strings"
	"unicode"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// These package URLs are the ones the OpenVEX encoder writes
// (openvex.ModelPURL and its package purls), so that documents of both
// formats name a product alike; a test keeps them equal.

// modelPURL identifies a model version as offered on a surface:
// pkg:generic/<developer>/<model>@<version>?surface=<surface>, the
// developer's name in lower case with every run of characters other than
// letters and digits turned into one hyphen, every part percent-encoded.
func modelPURL(developer, model, version string, surface advisory.Surface) string {
	var b strings.Builder
	b.WriteString("pkg:generic/")
	if ns := slug(developer); ns != "" {
		b.WriteString(escape(ns) + "/")
	}
	b.WriteString(escape(model))
	if version != "" {
		b.WriteString("@" + escape(version))
	}
	if surface != "" {
		b.WriteString("?surface=" + escape(string(surface)))
	}
	return b.String()
}

// packagePURL returns the purl of a package without a version: its own when
// it has one, else one derived from its ecosystem and name for the
// ecosystems whose purl type is certain, else "".
func packagePURL(p advisory.Package) string {
	if p.PURL != "" {
		return stripVersion(strings.TrimSpace(p.PURL))
	}
	typ, ok := purlTypes[p.Ecosystem]
	if !ok {
		return ""
	}
	name := strings.TrimSpace(p.Name)
	if typ == "pypi" {
		// PEP 503 normalisation, as the purl spec asks for PyPI names.
		name = strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }), "-")
	}
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	return "pkg:" + typ + "/" + strings.Join(segs, "/")
}

// purlTypes maps OSV ecosystems to purl types, for the ecosystems whose
// package names map to a purl path segment by segment.
var purlTypes = map[string]string{
	"PyPI":      "pypi",
	"npm":       "npm",
	"Go":        "golang",
	"crates.io": "cargo",
	"RubyGems":  "gem",
	"NuGet":     "nuget",
	"Packagist": "composer",
	"Hex":       "hex",
	"Pub":       "pub",
}

// purlType returns the type of a purl in lower case, which is also the
// versioning scheme of vers ranges; "" for no purl.
func purlType(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	typ, _, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	return strings.ToLower(typ)
}

// stripVersion removes the @version of a purl, keeping its qualifiers and
// subpath.
func stripVersion(purl string) string {
	rest, tail := purl, ""
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest, tail = rest[:i], rest[i:]
	}
	if at := strings.LastIndexByte(rest, '@'); at > strings.LastIndexByte(rest, '/') {
		rest = rest[:at]
	}
	return rest + tail
}

// withVersion returns purl (without a version) for version v.
func withVersion(purl, v string) string {
	rest, tail := purl, ""
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest, tail = rest[:i], rest[i:]
	}
	return rest + "@" + escape(v) + tail
}

// slug lowers s and joins its runs of letters and digits with hyphens.
func slug(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(words, "-")
}

// escape percent-encodes every byte of s but the unreserved characters of
// RFC 3986.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
