package target

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// maxErrorBody is how much of an error response is read to explain it.
const maxErrorBody = 8 << 10

// maxExcerpt bounds the excerpt of an error body quoted in a Reason.
const maxExcerpt = 200

// maxRetryAfter bounds a Retry-After an endpoint may ask for.
const maxRetryAfter = 24 * time.Hour

// capReader reads from r and fails once more than max bytes arrive.
type capReader struct {
	r   io.Reader
	max int64
	n   int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, overCap(c.max)
	}
	if rest := c.max - c.n + 1; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return 0, overCap(c.max)
	}
	return n, err
}

func overCap(limit int64) error {
	return &aicc.SendError{Reason: fmt.Sprintf("response over %d bytes", limit)}
}

func errInvalidUTF8() error {
	return &aicc.SendError{Reason: "response text is not valid UTF-8"}
}

func errMalformed(err error) error {
	return &aicc.SendError{Reason: "malformed JSON response: " + oneLine(err.Error(), maxExcerpt)}
}

// statusError explains a non-2xx response. key is redacted from the excerpt
// of the body, in case the endpoint echoes the credential.
func statusError(resp *http.Response, key string) *aicc.SendError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	code := resp.StatusCode
	e := &aicc.SendError{Status: code, RetryAfter: retryAfter(resp.Header, time.Now())}
	switch {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable, code == 529: // 529: Anthropic's "overloaded"
		e.Retryable, e.Overload = true, true
	case code == http.StatusRequestTimeout, code >= 500:
		e.Retryable = true
	}
	e.Reason = "HTTP " + strconv.Itoa(code)
	var detail string
	if code >= 300 && code < 400 {
		detail = "redirect not followed"
		if loc := resp.Header.Get("Location"); loc != "" {
			detail += " (to " + loc + ")"
		}
	} else {
		detail = errorMessage(body)
	}
	if key != "" {
		detail = strings.ReplaceAll(detail, key, "[redacted]")
	}
	if detail = oneLine(detail, maxExcerpt); detail != "" {
		e.Reason += ": " + detail
	}
	return e
}

// errorMessage picks the message out of the usual JSON error shapes
// ({"error":{"message":…}}, {"error":"…"}, {"message":…}, {"detail":…}),
// or returns the body itself.
func errorMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		if m := apiErrorMessage(v.Error); m != "" {
			return m
		}
		if v.Message != "" {
			return v.Message
		}
		if v.Detail != "" {
			return v.Detail
		}
	}
	return string(body)
}

// apiError is the error object of OpenAI and Anthropic:
// {"type":"overloaded_error","message":"…","code":…}.
type apiError struct {
	Type    string          `json:"type"`
	Message string          `json:"message"`
	Code    json.RawMessage `json:"code"`
}

func apiErrorMessage(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var e apiError
	if json.Unmarshal(raw, &e) == nil {
		return cmp.Or(e.Message, e.Type, string(e.Code))
	}
	return string(raw)
}

// bodyAPIError turns an error object found in a 2xx body or in a stream
// into a SendError; raw is the value of its "error" field.
func bodyAPIError(raw json.RawMessage) *aicc.SendError {
	e := &aicc.SendError{Reason: "endpoint error: " + oneLine(apiErrorMessage(raw), maxExcerpt)}
	var ae apiError
	_ = json.Unmarshal(raw, &ae)
	kind := ae.Type + " " + strings.Trim(string(ae.Code), `"`)
	switch {
	case strings.Contains(kind, "overloaded"), strings.Contains(kind, "rate_limit"):
		e.Retryable, e.Overload = true, true
	case strings.Contains(kind, "api_error"), strings.Contains(kind, "server_error"):
		e.Retryable = true
	}
	return e
}

// retryAfter reads Retry-After (delay seconds or an HTTP-date) and the
// non-standard Retry-After-Ms; 0 when absent or unreadable.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return clampDelay(ms / 1000)
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		return clampDelay(secs)
	}
	if t, err := http.ParseTime(v); err == nil {
		return clampDelay(t.Sub(now).Seconds())
	}
	return 0
}

func clampDelay(secs float64) time.Duration {
	if math.IsNaN(secs) || secs <= 0 {
		return 0
	}
	if secs >= maxRetryAfter.Seconds() {
		return maxRetryAfter
	}
	return time.Duration(secs * float64(time.Second))
}

// transportError explains a failure to get a response at all.
func transportError(ctx context.Context, start time.Time, err error) *aicc.SendError {
	if ctx.Err() != nil {
		return contextError(ctx, start, 0)
	}
	return networkError(start, 0, err)
}

// bodyError explains a failure while reading or parsing a response body.
func bodyError(ctx context.Context, start time.Time, status int, err error) *aicc.SendError {
	if ctx.Err() != nil {
		return contextError(ctx, start, status)
	}
	if se, ok := errors.AsType[*aicc.SendError](err); ok {
		se.Status = status
		return se
	}
	return networkError(start, status, err)
}

func contextError(ctx context.Context, start time.Time, status int) *aicc.SendError {
	cause := context.Cause(ctx)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &aicc.SendError{Reason: "timeout after " + elapsed(start), Status: status, Retryable: true, Err: cause}
	}
	return &aicc.SendError{Reason: "canceled", Status: status, Err: cause}
}

func elapsed(start time.Time) string { return time.Since(start).Round(time.Millisecond).String() }

// networkError classifies a connection-level failure. Most are worth a
// retry; a host that does not exist or a certificate that does not verify
// are not.
func networkError(start time.Time, status int, err error) *aicc.SendError {
	e := &aicc.SendError{Status: status, Retryable: true, Err: err}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		e.Reason = "connection reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Reason = "connection refused"
	case errors.Is(err, syscall.EPIPE):
		e.Reason = "connection broken"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		e.Reason = "connection closed early"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Reason, e.Retryable = "host not found: "+dnsErr.Name, false
	case isTLSError(err):
		e.Reason, e.Retryable = "TLS certificate not accepted", false
	case isTimeout(err):
		e.Reason = "timeout after " + elapsed(start)
	default:
		e.Reason = "network error"
	}
	return e
}

func isTLSError(err error) bool {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.HostnameError](err); ok {
		return true
	}
	_, ok := errors.AsType[x509.CertificateInvalidError](err)
	return ok
}

func isTimeout(err error) bool {
	ne, ok := errors.AsType[net.Error](err)
	return ok && ne.Timeout()
}

// oneLine makes s fit on one line of at most max bytes of valid UTF-8:
// control characters and runs of space become one space, and a cut is
// marked with "…".
func oneLine(s string, max int) string {
	const more = "…"
	var b strings.Builder
	space, cut := false, 0 // cut: the length to keep if s turns out too long
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > max {
			return strings.TrimRight(b.String()[:cut], " ") + more
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		if b.Len() <= max-len(more) {
			cut = b.Len()
		}
	}
	return b.String()
}
