package check

import (
	"cmp"
	"regexp"
	"strings"
)

// version is a parsed /$defs/version_t: either integer versioning ("3") or
// semantic versioning ("1.2.0-rc.1+build").
type version struct {
	raw                 string
	semver              bool
	major, minor, patch string   // decimal digits; minor and patch are "0" for integer versions
	pre                 []string // pre-release identifiers
	build               string
}

var (
	integerVersion = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)
	// semverVersion is the regular expression recommended by semver.org.
	semverVersion = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
)

// parseVersion parses a version_t; ok is false for anything else.
func parseVersion(s string) (version, bool) {
	if integerVersion.MatchString(s) {
		return version{raw: s, major: s, minor: "0", patch: "0"}, true
	}
	m := semverVersion.FindStringSubmatch(s)
	if m == nil {
		return version{}, false
	}
	v := version{raw: s, semver: true, major: m[1], minor: m[2], patch: m[3], build: m[5]}
	if m[4] != "" {
		v.pre = strings.Split(m[4], ".")
	}
	return v, true
}

// isZero reports whether the version is 0 or 0.y.z.
func (v version) isZero() bool { return v.major == "0" }

// isPreRelease reports whether the version has a pre-release part.
func (v version) isPreRelease() bool { return len(v.pre) > 0 }

// kind names the versioning scheme.
func (v version) kind() string {
	if v.semver {
		return "semantic versioning"
	}
	return "integer versioning"
}

// core returns the version without build metadata, and also without the
// pre-release part if dropPre is set.
func (v version) core(dropPre bool) string {
	if !v.semver {
		return v.major
	}
	s := v.major + "." + v.minor + "." + v.patch
	if !dropPre && len(v.pre) > 0 {
		s += "-" + strings.Join(v.pre, ".")
	}
	return s
}

// compareVersions orders two version strings by precedence (semantic
// versioning rules; an integer version n counts as n.0.0). Strings that are
// not versions sort by plain comparison, after all versions.
func compareVersions(a, b string) int {
	va, okA := parseVersion(a)
	vb, okB := parseVersion(b)
	switch {
	case !okA && !okB:
		return strings.Compare(a, b)
	case !okA:
		return 1
	case !okB:
		return -1
	}
	for _, c := range [][2]string{{va.major, vb.major}, {va.minor, vb.minor}, {va.patch, vb.patch}} {
		if x := compareDigits(c[0], c[1]); x != 0 {
			return x
		}
	}
	return comparePreRelease(va.pre, vb.pre)
}

// compareDigits compares two unsigned decimal numbers of any length.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// comparePreRelease implements rule 11 of semantic versioning 2.0.0.
func comparePreRelease(a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1 // a release ranks above its pre-releases
	case len(b) == 0:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		na, nb := isDigits(a[i]), isDigits(b[i])
		var x int
		switch {
		case na && nb:
			x = compareDigits(a[i], b[i])
		case na:
			x = -1
		case nb:
			x = 1
		default:
			x = strings.Compare(a[i], b[i])
		}
		if x != 0 {
			return x
		}
	}
	return cmp.Compare(len(a), len(b))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
