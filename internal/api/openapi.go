package api

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/goccy/go-yaml"
)

//go:embed openapi.yaml
var openapiYAML []byte

// openapiJSON is the document as served: converted once, at start-up.
var openapiJSON = func() []byte {
	var doc any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		panic("openapi.yaml: " + err.Error()) // embedded; a test parses it
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic("openapi.yaml: " + err.Error())
	}
	return b
}()

// OpenAPI returns the API's OpenAPI 3.1 document as JSON.
func OpenAPI() []byte { return openapiJSON }

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiJSON)
}
