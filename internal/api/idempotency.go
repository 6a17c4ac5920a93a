package api

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// idempotency serialises requests with the same key in this process; the
// store's unique key catches the rare race between two servers.
type idempotency struct {
	mu   sync.Mutex
	busy map[string]*sync.Mutex
}

func (i *idempotency) lock(k string) func() {
	i.mu.Lock()
	if i.busy == nil {
		i.busy = map[string]*sync.Mutex{}
	}
	m, ok := i.busy[k]
	if !ok {
		m = &sync.Mutex{}
		i.busy[k] = m
	}
	i.mu.Unlock()
	m.Lock()
	return func() {
		m.Unlock()
		i.mu.Lock()
		delete(i.busy, k)
		i.mu.Unlock()
	}
}

// recorder keeps a copy of what a handler writes.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// idempotent makes a create safe to retry: a request with an
// Idempotency-Key header that succeeded is answered again, from the store,
// with the same status and body, instead of creating a second object. The
// same key with a different request is a conflict. Keys are per user.
func (s *Server) idempotent(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || p.Anonymous() {
			return h(w, r, p)
		}
		if len(key) > 200 {
			return aicc.Errorf(aicc.KindInvalid, "Idempotency-Key: at most 200 characters")
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return aicc.Errorf(aicc.KindInvalid, "request body: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.New()
		sum.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
		sum.Write(body)
		hash := sum.Sum(nil)

		defer s.idem.lock(p.UserID + "\x00" + key)()
		prev, err := s.svc.Idempotent(r.Context(), p, key)
		switch {
		case err == nil:
			if !bytes.Equal(prev.RequestHash, hash) {
				return aicc.Errorf(aicc.KindConflict, "Idempotency-Key %q was used for a different request; use a new key for a new request", key)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			_, _ = w.Write(prev.Body)
			return nil
		case !errors.Is(err, aicc.ErrNotFound):
			return err
		}
		rec := &recorder{ResponseWriter: w}
		if err := h(rec, r, p); err != nil {
			return err
		}
		if rec.status >= 200 && rec.status < 300 {
			err := s.svc.RememberIdempotent(r.Context(), p, &store.IdempotentResponse{
				Key: key, RequestHash: hash, Status: rec.status, Body: rec.body.Bytes(),
			})
			if err != nil {
				s.log.WarnContext(r.Context(), "idempotency key not stored", "key", key, "err", err)
			}
		}
		return nil
	}
}
