package advisory

import (
	"strings"
	"unicode"
)

// Package URLs (purls) name the products of an advisory the same way in
// every format (CSAF, OpenVEX, OSV), so that tools can match documents.

// ModelPURL returns the package URL that identifies a model version as
// offered on a surface:
//
//	pkg:generic/<developer>/<model>@<version>?surface=<surface>
//
// where developer is the developer's name in lower case with every run of
// characters other than letters and digits turned into one hyphen
// ("Example AI" becomes "example-ai"). The model, the version and the
// surface are kept as they are. Every part is percent-encoded as the purl
// specification requires, so the result is a valid IRI and distinct
// inputs give distinct URLs.
func ModelPURL(developer, model, version string, surface Surface) string {
	var b strings.Builder
	b.WriteString("pkg:generic/")
	if ns := slug(developer); ns != "" {
		b.WriteString(escape(ns))
		b.WriteByte('/')
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

// PackagePURL returns the purl of a package, without a version: its own
// when it has one, else one derived from its ecosystem and name for the
// ecosystems whose purl type is certain; "" otherwise.
func PackagePURL(p Package) string {
	if p.PURL != "" {
		return PURLWithoutVersion(p.PURL)
	}
	typ, ok := purlTypes[p.Ecosystem]
	if !ok {
		return ""
	}
	name := p.Name
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
// names map to a purl path segment by segment.
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

// PURLType returns the type of a purl in lower case, which is also the
// versioning scheme of vers ranges; "" for no purl.
func PURLType(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	typ, _, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	return strings.ToLower(typ)
}

// PURLWithoutVersion removes the @version of a purl, keeping its
// qualifiers and subpath.
func PURLWithoutVersion(purl string) string {
	rest, tail := splitPURL(purl)
	if at := strings.LastIndexByte(rest, '@'); at > strings.LastIndexByte(rest, '/') {
		rest = rest[:at]
	}
	return rest + tail
}

// PURLWithVersion returns purl (without a version) for version v.
func PURLWithVersion(purl, v string) string {
	rest, tail := splitPURL(purl)
	return rest + "@" + escape(v) + tail
}

// splitPURL cuts a purl before its qualifiers and subpath.
func splitPURL(purl string) (rest, tail string) {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		return purl[:i], purl[i:]
	}
	return purl, ""
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
