package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// statusOf is the one table from error kinds to HTTP statuses.
var statusOf = map[aicc.ErrorKind]int{
	aicc.KindInvalid:      http.StatusUnprocessableEntity,
	aicc.KindNotFound:     http.StatusNotFound,
	aicc.KindConflict:     http.StatusConflict,
	aicc.KindUnauthorized: http.StatusUnauthorized,
	aicc.KindForbidden:    http.StatusForbidden,
	aicc.KindUnavailable:  http.StatusServiceUnavailable,
	aicc.KindInternal:     http.StatusInternalServerError,
}

// problemType is a stable URI per kind, under the API's documentation.
func problemType(k aicc.ErrorKind) string {
	return "https://aicc.dev/problems/" + string(k)
}

// writeError renders err as problem details. Internal errors are logged
// and answered without their text, which may name internals.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	kind := aicc.KindOf(err)
	status, ok := statusOf[kind]
	if !ok {
		status, kind = http.StatusInternalServerError, aicc.KindInternal
	}
	p := Problem{Type: problemType(kind), Title: http.StatusText(status), Status: status, Instance: r.URL.Path}
	var e *aicc.Error
	if kind == aicc.KindInternal {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = "an internal error occurred; it has been logged"
	} else if errors.As(err, &e) {
		p.Detail = e.Error()
	} else {
		p.Detail = err.Error()
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aicc"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}
