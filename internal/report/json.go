package report

import (
	"encoding/json"
	"io"
)

// writeJSON writes r as indented JSON with a trailing newline.
func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
