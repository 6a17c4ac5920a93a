package aicc

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// ID prefixes name what an ID identifies, so that an ID pasted in the
// wrong place is recognised at once.
const (
	PrefixOrg         = "org_"
	PrefixUser        = "usr_"
	PrefixToken       = "tok_"
	PrefixSubmission  = "sub_"
	PrefixFinding     = "fnd_"
	PrefixRemediation = "rem_"
	PrefixRetest      = "rt_"
	PrefixDesignation = "des_"
	PrefixComment     = "cmt_"
	PrefixWebhook     = "wh_"
	PrefixAdvisorySub = "asub_"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns prefix followed by 16 random characters (80 bits) of
// lower-case base32.
func NewID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return prefix + idEncoding.EncodeToString(b[:])
}

// HasPrefix reports whether id has the given prefix and the shape NewID
// gives it.
func HasPrefix(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || len(rest) != 16 {
		return false
	}
	_, err := idEncoding.DecodeString(rest)
	return err == nil
}
