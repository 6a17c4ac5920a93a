package webhook

import (
	"net"
	"net/http"
	"time"
)

// UserAgent is sent with every delivery.
const UserAgent = "aicc-webhook/1"

// maxResponseRead bounds how much of a response body is read (to reuse the
// connection); the first maxSnippet bytes are kept in the delivery log.
const maxResponseRead = 64 << 10

// newClient returns the HTTP client of a dispatcher. It never follows
// redirects (a 3xx is returned as is and fails the delivery), ignores proxy
// settings in the environment (the guard must see the receiver's address,
// not a proxy's), and, unless allowPrivate, refuses to connect to non-public
// addresses. Each request carries its own deadline.
func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = guardDial
	}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
