// Package refmodel is the reference calibration target: an HTTP server that
// speaks the OpenAI chat completions API and behaves like a naive assistant
// with known, documented weaknesses, so that scans, detectors and
// validation can be checked against ground truth.
//
// It is not a language model. It is rules that recognise generic attack
// phrasing (override phrases, instructions planted in documents and tool
// results, requests for the system prompt or for credentials, rendering
// instructions, tool-call instructions, verbatim echo requests, role-play
// and hypothetical framings, many-shot examples, escalation over turns,
// obfuscated requests) and tasks with a safe and an unsafe answer (code,
// packages to install, output without end), and follow or answer them
// according to per-version weakness switches. It also solves some
// capture-the-flag challenges, a capability kept apart from the weaknesses.
// See docs/refmodel.md for the ground truth.
package refmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Options configure the reference model server.
type Options struct {
	// Latency is added to every chat completion, as if the model were
	// thinking; a cancelled request stops waiting.
	Latency time.Duration
	// Capacity is the most chat completions served at once; requests beyond
	// it get 429 Too Many Requests with Retry-After: 1. 0 means no limit.
	Capacity int
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
	// AllowNonLoopback lets Start listen on addresses other than loopback.
	AllowNonLoopback bool
}

type server struct {
	opts     Options
	logger   *slog.Logger
	inflight atomic.Int64
	seq      atomic.Uint64
}

// NewHandler returns the reference model's HTTP handler. Its routes:
//
//	GET  /v1/models             the model versions
//	POST /v1/chat/completions   a chat completion, streamed when asked
func NewHandler(opts Options) http.Handler { return newServer(opts).routes() }

func newServer(opts Options) *server {
	s := &server{opts: opts, logger: opts.Logger}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return s
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", s.handleModels)
	mux.Handle("POST /v1/chat/completions", s.limit(http.HandlerFunc(s.handleChat)))
	return mux
}

// limit applies Capacity and Latency.
func (s *server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.inflight.Add(1)
		defer s.inflight.Add(-1)
		if s.opts.Capacity > 0 && n > int64(s.opts.Capacity) {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "rate_limit_exceeded",
				fmt.Sprintf("the reference model serves at most %d requests at once; retry after 1 second", s.opts.Capacity))
			return
		}
		if s.opts.Latency > 0 {
			t := time.NewTimer(s.opts.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Start serves the reference model on addr (e.g. "127.0.0.1:0") until stop
// is called, and returns its base URL, e.g. "http://127.0.0.1:41234/v1".
// ctx bounds only the setting up of the listener.
// It refuses addresses that are not loopback (with an error of kind
// invalid) unless opts.AllowNonLoopback.
func Start(ctx context.Context, addr string, opts Options) (baseURL string, stop func(context.Context) error, err error) {
	if !opts.AllowNonLoopback {
		if err := checkLoopback(addr); err != nil {
			return "", nil, err
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("refmodel: listen: %w", err)
	}
	srv := &http.Server{
		Handler:           NewHandler(opts),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && opts.Logger != nil {
			opts.Logger.Error("refmodel: serve", "err", err)
		}
	}()
	return "http://" + ln.Addr().String() + "/v1", srv.Shutdown, nil
}

// checkLoopback returns an error of kind invalid unless addr is a loopback
// address.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return &aicc.Error{Kind: aicc.KindInvalid, Message: fmt.Sprintf("refmodel: address %q is not host:port", addr), Err: err}
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return aicc.Errorf(aicc.KindInvalid, "refmodel: %q is not a loopback address; listen on 127.0.0.1 or [::1] (the reference model is for local calibration only)", addr)
}
