package keyring_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/keyring"
)

func ExampleKeyring_SealSecret() {
	kr, err := keyring.NewEphemeral() // a server loads its keyring with LoadFile or LoadEnv
	if err != nil {
		fmt.Println(err)
		return
	}
	aad := keyring.AAD("submission", "sub_123", "credential")
	sealed, err := kr.SealSecret(aicc.NewSecret("sk-example"), aad)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := kr.OpenSecret(sealed, aad)
	fmt.Println(s, s.Reveal() == "sk-example", err)

	// Copied to another submission's row, the value does not open.
	_, err = kr.OpenSecret(sealed, keyring.AAD("submission", "sub_456", "credential"))
	fmt.Println(errors.Is(err, keyring.ErrOpen))
	// Output:
	// [redacted] true <nil>
	// true
}

func ExampleRotate() {
	dir, err := os.MkdirTemp("", "keyring")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keys")

	if _, err := keyring.Generate(path); err != nil {
		fmt.Println(err)
		return
	}
	kr, _ := keyring.LoadFile(path)
	aad := keyring.AAD("submission", "sub_123", "credential")
	sealed, _ := kr.Seal([]byte("sk-example"), aad)

	if _, err := keyring.Rotate(path); err != nil {
		fmt.Println(err)
		return
	}
	kr, _ = keyring.LoadFile(path) // every process reloads the file
	fmt.Println("keys:", len(kr.IDs()), "needs reseal:", kr.NeedsReseal(sealed))
	sealed, _ = kr.Reseal(sealed, aad) // store it back in the same row
	plain, err := kr.Open(sealed, aad)
	fmt.Println("needs reseal:", kr.NeedsReseal(sealed), string(plain), err)
	// Output:
	// keys: 2 needs reseal: true
	// needs reseal: false sk-example <nil>
}
