// Package client is a Go client of the clearinghouse API, used by the CLI's
// server commands. Errors come back as *aicc.Error with the kind the
// server's problem details imply.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Client calls one server with one token.
type Client struct {
	base  *url.URL
	token aicc.Secret
	hc    *http.Client
}

// New returns a client of the server at baseURL (http or https).
func New(baseURL string, token aicc.Secret, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "server %q: must be an http or https URL such as http://127.0.0.1:8080", baseURL)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{base: u, token: token, hc: hc}, nil
}

// kindOf maps an HTTP status to an error kind: the inverse of the
// server's table.
func kindOf(status int) aicc.ErrorKind {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return aicc.KindInvalid
	case http.StatusNotFound:
		return aicc.KindNotFound
	case http.StatusConflict:
		return aicc.KindConflict
	case http.StatusUnauthorized:
		return aicc.KindUnauthorized
	case http.StatusForbidden:
		return aicc.KindForbidden
	case http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout:
		return aicc.KindUnavailable
	}
	return aicc.KindInternal
}

// Do sends a request with a JSON body (in, unless nil) and decodes a JSON
// answer into out (unless nil). It returns the raw answer too, for callers
// that print it as is.
func (c *Client) Do(ctx context.Context, method, path string, in, out any, header ...string) ([]byte, error) {
	raw, _, err := c.DoHeader(ctx, method, path, in, out, header...)
	return raw, err
}

// DoHeader is Do that also returns the answer's header.
func (c *Client) DoHeader(ctx context.Context, method, path string, in, out any, header ...string) ([]byte, http.Header, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "aicc-cli")
	if !c.token.IsZero() {
		req.Header.Set("Authorization", "Bearer "+c.token.Reveal())
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, &aicc.Error{Kind: aicc.KindUnavailable, Message: fmt.Sprintf("cannot reach the server at %s", c.base), Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, nil, &aicc.Error{Kind: aicc.KindUnavailable, Message: "reading the server's answer", Err: err}
	}
	if resp.StatusCode >= 300 {
		var p struct {
			Detail string `json:"detail"`
			Title  string `json:"title"`
		}
		msg := strings.TrimSpace(string(raw))
		if json.Unmarshal(raw, &p) == nil && (p.Detail != "" || p.Title != "") {
			msg = p.Detail
			if msg == "" {
				msg = p.Title
			}
		}
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		return raw, resp.Header, &aicc.Error{Kind: kindOf(resp.StatusCode), Message: fmt.Sprintf("%s (HTTP %d)", msg, resp.StatusCode)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return raw, resp.Header, fmt.Errorf("%s %s: the server's answer is not what this client expects: %w", method, path, err)
		}
	}
	return raw, resp.Header, nil
}
