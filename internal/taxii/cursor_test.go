package taxii_test

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/taxii"
)

func TestCursor(t *testing.T) {
	c := taxii.Cursor{Added: t0.Add(123456789), ID: "vulnerability--x.y", Version: time.Time{}}
	tok := c.String()
	if strings.ContainsAny(tok, "+/=") || url.QueryEscape(tok) != tok {
		t.Errorf("token %q is not URL-safe", tok)
	}
	got, err := taxii.ParseCursor(tok)
	if err != nil || !got.Added.Equal(c.Added) || got.ID != c.ID || !got.Version.IsZero() {
		t.Errorf("ParseCursor(%q) = %+v, %v; want %+v", tok, got, err, c)
	}
	for _, bad := range []string{"", "!!", base64.RawURLEncoding.EncodeToString([]byte("2.0.0.0.0.id")), base64.RawURLEncoding.EncodeToString([]byte("1.0.0.0.0."))} {
		if _, err := taxii.ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted it", bad)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add(taxii.Cursor{Added: t0, ID: "vulnerability--1", Version: t0}.String())
	f.Add(base64.RawURLEncoding.EncodeToString([]byte("1.-5.0.7.999999999.a.b")))
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := taxii.ParseCursor(tok)
		if err != nil {
			return
		}
		again, err := taxii.ParseCursor(c.String())
		if err != nil || !again.Added.Equal(c.Added) || again.ID != c.ID || !again.Version.Equal(c.Version) {
			t.Fatalf("%q parsed to %+v, which does not round-trip: %+v, %v", tok, c, again, err)
		}
	})
}
