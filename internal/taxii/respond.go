package taxii

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// writeJSON writes v as a TAXII response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only server-built values reach here; they always marshal
		panic("taxii: marshal response: " + err.Error())
	}
	writeBody(w, status, b)
}

// writeBody writes a finished TAXII JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", MediaTypeTAXII)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}
