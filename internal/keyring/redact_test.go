package keyring

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// No fmt verb, logger or encoder shows a key, in any spelling.
func TestKeysNeverShown(t *testing.T) {
	k1, k2 := testKey(0xa0), testKey(0x30)
	kr := mustLoad(t, "k1:"+b64(k1)+"\nk2:"+b64(k2)+"\n")
	want := kr.String()
	if !strings.Contains(want, "primary k1") || !strings.Contains(want, "k1,k2") {
		t.Errorf("String = %q, want it to name the primary and all key IDs", want)
	}

	type holder struct {
		KR  *Keyring
		Val Keyring
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%o", "%b", "%10.3v"} {
		for _, arg := range []any{kr, *kr} {
			if got := fmt.Sprintf(verb, arg); got != want {
				t.Errorf("Sprintf(%q, %T) = %q, want %q", verb, arg, got, want)
			}
		}
		if got := fmt.Sprintf(verb, holder{kr, *kr}); strings.Count(got, want) != 2 {
			t.Errorf("Sprintf(%q, holder) = %q, want the keyring described twice", verb, got)
		}
	}

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("loaded", "keyring", kr, "value", *kr)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("loaded", "keyring", kr)
	logs := buf.String()
	for _, w := range []string{"keyring.primary=k1", "value.primary=k1", `"primary":"k1"`, `"keys":["k1","k2"]`} {
		if !strings.Contains(logs, w) {
			t.Errorf("log does not hold %s:\n%s", w, logs)
		}
	}
	j, err := json.Marshal(holder{kr, *kr})
	if err != nil {
		t.Fatal(err)
	}

	secrets := []string{b64(k1), b64(k2), hex.EncodeToString(k1[:6]), hex.EncodeToString(k2[:6]),
		string(k1[:8]), string(k2[:8]), fmt.Sprint(k1[:4])[1:], fmt.Sprint(k2[:4])[1:]}
	for _, out := range []string{logs, string(j), fmt.Sprintf("%#v", holder{kr, *kr})} {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %q holds key material %q", out, s)
			}
		}
	}
}
