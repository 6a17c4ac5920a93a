package taxii_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/aicc-dev/aicc/internal/taxii"
)

func ExampleNew() {
	src := &fakeSource{} // the clearinghouse passes its service here
	src.addCollection(taxii.Collection{ID: "advisories", Title: "Published advisories"})
	src.add("advisories", object("vulnerability", 1, t0, t0))

	h, err := taxii.New(taxii.Config{
		Source:  src,
		Title:   "aicc clearinghouse",
		BaseURL: "https://cti.example.org",
		Authenticate: func(r *http.Request) (context.Context, error) {
			user, pass, ok := r.BasicAuth()
			if !ok || user != "alice" || pass != "s3cret" {
				return nil, errors.New("bad credentials")
			}
			return context.WithValue(r.Context(), callerKey{}, user), nil
		},
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, path := range []string{"/taxii2/", "/taxii2/aicc/collections/advisories/objects/"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.SetBasicAuth("alice", "s3cret")
		req.Header.Set("Accept", taxii.MediaTypeTAXII)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Printf("%s %s X-TAXII-Date-Added-Last=%q\n", res.Status, res.Header.Get("Content-Type"), res.Header.Get("X-TAXII-Date-Added-Last"))
		fmt.Println(string(body))
	}
	// Output:
	// 200 OK application/taxii+json;version=2.1 X-TAXII-Date-Added-Last=""
	// {"title":"aicc clearinghouse","default":"https://cti.example.org/taxii2/aicc/","api_roots":["https://cti.example.org/taxii2/aicc/"]}
	// 200 OK application/taxii+json;version=2.1 X-TAXII-Date-Added-Last="2026-11-29T10:00:00.000Z"
	// {"more":false,"objects":[{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--00000000-0000-4000-8000-000000000001","created":"2026-01-01T00:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","name":"object 1"}]}
}
