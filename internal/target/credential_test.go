package target

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestLoadAPIKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"KEY": "sk-env\n", "BLANK": "  ", "NL": "a\nb"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name, envVar, file string
		want               string // the key, or "" for the zero Secret
		err                string // substring of the error
	}{
		{name: "none", want: ""},
		{name: "env", envVar: "KEY", want: "sk-env"},
		{name: "file", file: write("key", "sk-file\r\n"), want: "sk-file"},
		{name: "both", envVar: "KEY", file: write("key2", "x"), err: "not both"},
		{name: "unset env", envVar: "NOPE", err: "environment variable NOPE is empty or unset"},
		{name: "blank env", envVar: "BLANK", err: "is empty"},
		{name: "empty file", file: write("empty", "\n"), err: "is empty"},
		{name: "missing file", file: filepath.Join(dir, "missing"), err: "read file"},
		{name: "directory", file: dir, err: "not a regular file"},
		{name: "two lines", envVar: "NL", err: "line break"},
		{name: "huge file", file: write("huge", strings.Repeat("k", maxKeyFile+1)), err: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadAPIKey(getenv, tt.envVar, tt.file)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				if aicc.KindOf(err) != aicc.KindInvalid {
					t.Errorf("kind = %s", aicc.KindOf(err))
				}
				if strings.Contains(err.Error(), "sk-") {
					t.Errorf("error shows the key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Reveal() != tt.want || got.IsZero() != (tt.want == "") {
				t.Errorf("key = %q, want %q", got.Reveal(), tt.want)
			}
		})
	}
}
