package coverage

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/aicc-dev/aicc/internal/aicc"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// ClearinghouseID is the id of the clearinghouse's own built-in policy.
const ClearinghouseID = "clearinghouse"

// builtins parses the built-in policies once: the clearinghouse's own
// first, then the others by id.
var builtins = sync.OnceValues(func() ([]*Policy, error) {
	files, err := fs.Glob(builtinFS, "builtin/*.yaml")
	if err != nil {
		return nil, err
	}
	var ps []*Policy
	for _, file := range files {
		src, err := builtinFS.ReadFile(file)
		if err != nil {
			return nil, err
		}
		p, err := Parse("builtin:"+path.Base(file), src)
		if err != nil {
			return nil, fmt.Errorf("built-in coverage policy: %w", err)
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *Policy) int {
		switch {
		case a.ID == ClearinghouseID:
			return -1
		case b.ID == ClearinghouseID:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ps, nil
})

// Builtin returns the built-in policies, the clearinghouse's own first.
// They are parsed once and shared by every caller: do not modify them.
func Builtin() ([]*Policy, error) {
	ps, err := builtins()
	return slices.Clone(ps), err
}

// BuiltinPolicy returns the built-in policy with the given id.
func BuiltinPolicy(id string) (*Policy, error) {
	ps, err := builtins()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return nil, aicc.Errorf(aicc.KindNotFound, "no built-in coverage policy %q (built-in: %s)", id, strings.Join(ids, ", "))
}
