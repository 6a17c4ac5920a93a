package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// maxBody is the largest request body read.
const maxBody = 1 << 20

// decode reads a JSON request body into v strictly: unknown fields,
// trailing data and bodies over maxBody are errors that name the problem.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return aicc.Errorf(aicc.KindInvalid, "request body: Content-Type must be application/json, not %q", ct)
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return aicc.Errorf(aicc.KindInvalid, "request body: empty; send a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return aicc.Errorf(aicc.KindInvalid, "request body: malformed JSON: it ends before the value does")
		case errors.As(err, &syn):
			return aicc.Errorf(aicc.KindInvalid, "request body: malformed JSON at byte %d", syn.Offset)
		case errors.As(err, &typ):
			return aicc.Errorf(aicc.KindInvalid, "request body: field %q must be %s", typ.Field, typ.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return aicc.Errorf(aicc.KindInvalid, "request body: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
		return aicc.Errorf(aicc.KindInvalid, "request body: %v", err)
	}
	if dec.More() {
		return aicc.Errorf(aicc.KindInvalid, "request body: more than one JSON value")
	}
	if dec.InputOffset() > maxBody {
		return aicc.Errorf(aicc.KindInvalid, "request body: larger than %d bytes", maxBody)
	}
	return nil
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// List is one page of a list.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func list[T any](items []T, next string) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, NextCursor: next}
}

// pageOf reads the limit and cursor query parameters.
func pageOf(r *http.Request) (store.Page, error) {
	p := store.Page{After: r.URL.Query().Get("cursor")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return p, aicc.Errorf(aicc.KindInvalid, "limit %q: a number from 1 to 1000", l)
		}
		p.Limit = n
	}
	return p, nil
}

// idOf returns a path value that must have the given ID prefix.
func idOf(r *http.Request, name, prefix string) (string, error) {
	id := r.PathValue(name)
	if !aicc.HasPrefix(id, prefix) {
		return "", aicc.Errorf(aicc.KindNotFound, "%s %q: not an ID of this kind (they start %q)", name, id, prefix)
	}
	return id, nil
}
