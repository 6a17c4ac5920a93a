package target

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// maxKeyFile bounds the size of a credential file.
const maxKeyFile = 64 << 10

// LoadAPIKey reads an endpoint credential from the environment variable
// named envVar or from the file at path file, never from the command line.
// Surrounding white space (a trailing newline) is trimmed. With both names
// empty it returns the zero Secret: the endpoint needs no key. Naming both,
// an unset or empty variable, and an empty or unreadable file are errors.
// getenv is os.Getenv outside tests.
func LoadAPIKey(getenv func(string) string, envVar, file string) (aicc.Secret, error) {
	var key, from string
	switch {
	case envVar == "" && file == "":
		return aicc.Secret{}, nil
	case envVar != "" && file != "":
		return aicc.Secret{}, aicc.Errorf(aicc.KindInvalid,
			"API key: give an environment variable (%s) or a file (%s), not both", envVar, file)
	case envVar != "":
		from = "environment variable " + envVar
		key = strings.TrimSpace(getenv(envVar))
	default:
		from = "file " + file
		b, err := readKeyFile(file)
		if err != nil {
			return aicc.Secret{}, &aicc.Error{Kind: aicc.KindInvalid, Message: "API key: read " + from, Err: err}
		}
		key = strings.TrimSpace(string(b))
	}
	if key == "" {
		return aicc.Secret{}, aicc.Errorf(aicc.KindInvalid, "API key: %s is empty or unset", from)
	}
	if strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return aicc.Secret{}, aicc.Errorf(aicc.KindInvalid,
			"API key: %s holds a line break or control character; it must be the key alone", from)
	}
	return aicc.NewSecret(key), nil
}

func readKeyFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeNamedPipe == 0 {
		return nil, errors.New("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyFile {
		return nil, errors.New("file is too large to be a key")
	}
	return b, nil
}
