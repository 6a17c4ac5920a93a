package taxii

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// ErrNotFound is what a Source returns, wrapped or not, for a collection
// that does not exist or that the caller may not read. The server answers
// 404 for both, so a caller cannot tell them apart.
var ErrNotFound = errors.New("taxii: not found")

// problem is an error the client caused or may see: its status and a
// description saying what was wrong and what to do about it.
type problem struct {
	status      int
	description string
}

func (p *problem) Error() string {
	return strconv.Itoa(p.status) + " " + p.description
}

func badRequest(format string, args ...any) error {
	return &problem{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &problem{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// titles is the one table from HTTP status to the title of a TAXII error
// message (TAXII 2.1 section 3.6.1).
var titles = map[int]string{
	http.StatusBadRequest:          "Bad request",
	http.StatusUnauthorized:        "Authentication required",
	http.StatusNotFound:            "Not found",
	http.StatusMethodNotAllowed:    "Method not allowed",
	http.StatusNotAcceptable:       "Not acceptable",
	http.StatusInternalServerError: "Internal server error",
}

// errorMessage is a TAXII 2.1 error message. http_status is a string in
// TAXII 2.1.
type errorMessage struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	HTTPStatus  string `json:"http_status"`
}

// fail renders err as a TAXII error message. Errors that are not problems
// (a failing Source, a broken invariant) are logged and answered 500 without
// their text, which may name internals.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p *problem
	switch {
	case errors.As(err, &p):
	case errors.Is(err, ErrNotFound):
		p = &problem{http.StatusNotFound, "No such resource, or you may not read it."}
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		s.log.DebugContext(r.Context(), "taxii: client went away", "path", r.URL.Path, "err", err)
		p = &problem{http.StatusInternalServerError, "The request was canceled."}
	default:
		s.log.ErrorContext(r.Context(), "taxii: request failed",
			"method", r.Method, "path", r.URL.Path, "err", err)
		p = &problem{http.StatusInternalServerError,
			"The server could not answer this request; the failure has been logged. Retry later."}
	}
	switch p.status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", s.challenge)
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", "GET, HEAD")
	}
	writeJSON(w, p.status, errorMessage{
		Title:       titles[p.status],
		Description: p.description,
		HTTPStatus:  strconv.Itoa(p.status),
	})
}
