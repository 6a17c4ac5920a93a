package provider_test

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

func ExampleBuild() {
	rendered := []byte(`{"document": {"title": "Prompt injection in Example Assistant",
  "distribution": {"tlp": {"label": "WHITE"}},
  "tracking": {"id": "AICC-2026-0001",
    "initial_release_date": "2026-01-10T09:00:00Z", "current_release_date": "2026-02-01T09:00:00Z"}}}`)
	doc, err := provider.ParseDocument(rendered)
	if err != nil {
		fmt.Println(err)
		return
	}
	files, err := provider.Build(context.Background(), provider.Config{
		BaseURL: "https://aicc.example/.well-known/csaf",
		Publisher: provider.Publisher{
			Category: "coordinator", Name: "AICC Clearinghouse", Namespace: "https://aicc.example",
		},
		Role: provider.RoleProvider, // a trusted provider also needs a Signer
	}, []provider.Document{doc})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Println(name)
	}
	fmt.Printf("%s", files["white/changes.csv"])
	// Output:
	// provider-metadata.json
	// service.json
	// white/2026/aicc-2026-0001.json
	// white/2026/aicc-2026-0001.json.sha256
	// white/2026/aicc-2026-0001.json.sha512
	// white/changes.csv
	// white/csaf-feed-tlp-white.json
	// white/index.txt
	// "2026/aicc-2026-0001.json","2026-02-01T09:00:00Z"
}
