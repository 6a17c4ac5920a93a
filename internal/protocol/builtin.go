package protocol

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/aicc-dev/aicc/internal/aicc"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtinLoaders parses each built-in protocol once, on first use.
var builtinLoaders = func() map[string]func() (*Protocol, error) {
	m := map[string]func() (*Protocol, error){}
	files, _ := fs.Glob(builtinFS, "builtin/*.yaml")
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".yaml")
		m[name] = sync.OnceValues(func() (*Protocol, error) {
			src, err := builtinFS.ReadFile(file)
			if err != nil {
				return nil, err
			}
			return Parse("builtin:"+name, src)
		})
	}
	return m
}()

// BuiltinNames returns the names of the built-in protocols, sorted.
func BuiltinNames() []string {
	names := make([]string, 0, len(builtinLoaders))
	for name := range builtinLoaders {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Builtin returns the built-in protocol with the given name. It is parsed
// once and shared by every caller: it must not be modified.
func Builtin(name string) (*Protocol, error) {
	load, ok := builtinLoaders[name]
	if !ok {
		return nil, aicc.Errorf(aicc.KindNotFound, "no built-in protocol %q (built-in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return load()
}
