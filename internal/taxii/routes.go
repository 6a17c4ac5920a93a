package taxii

import "net/http"

// handler is an endpoint that returns its error for fail to render.
type handler func(w http.ResponseWriter, r *http.Request) error

// routes is the server's sitemap (TAXII 2.1 sections 4 and 5). Every path
// answers GET (and HEAD); any other method is 405, since collections are
// read-only. Anything else is 404.
func (s *server) routes(mux *http.ServeMux) {
	s.get(mux, "/taxii2/{$}", s.discovery)
	s.get(mux, "/taxii2/{root}/{$}", s.apiRoot)
	s.get(mux, "/taxii2/{root}/status/{status_id}/{$}", s.status)
	s.get(mux, "/taxii2/{root}/collections/{$}", s.collections)
	s.get(mux, "/taxii2/{root}/collections/{id}/{$}", s.collection)
	s.get(mux, "/taxii2/{root}/collections/{id}/manifest/{$}", s.manifest)
	s.get(mux, "/taxii2/{root}/collections/{id}/objects/{$}", s.objects)
	s.get(mux, "/taxii2/{root}/collections/{id}/objects/{object_id}/{$}", s.object)
	s.get(mux, "/taxii2/{root}/collections/{id}/objects/{object_id}/versions/{$}", s.versions)
	mux.Handle("/", s.serve(func(http.ResponseWriter, *http.Request) error {
		return notFound("There is no TAXII resource at this address; GET /taxii2/ is the discovery endpoint.")
	}))
}

// get routes GET and HEAD on pattern to h, and every other method to a 405.
func (s *server) get(mux *http.ServeMux, pattern string, h handler) {
	mux.Handle("GET "+pattern, s.serve(h))
	mux.Handle(pattern, s.serve(methodNotAllowed))
}

// serve adapts a handler, rendering its error.
func (s *server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func methodNotAllowed(_ http.ResponseWriter, r *http.Request) error {
	return &problem{http.StatusMethodNotAllowed,
		r.Method + " is not supported: this server's collections are read-only (can_write is false)."}
}
