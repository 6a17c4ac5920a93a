package taxii

import "net/http"

// discoveryResource is TAXII 2.1 section 4.1.1.
type discoveryResource struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Contact     string   `json:"contact,omitempty"`
	Default     string   `json:"default,omitempty"`
	APIRoots    []string `json:"api_roots,omitempty"`
}

// apiRootResource is TAXII 2.1 section 4.2.1.
type apiRootResource struct {
	Title            string   `json:"title"`
	Description      string   `json:"description,omitempty"`
	Versions         []string `json:"versions"`
	MaxContentLength int64    `json:"max_content_length"`
}

// discovery serves GET /taxii2/: the server and its API roots.
func (s *server) discovery(w http.ResponseWriter, r *http.Request) error {
	base := s.base(r)
	d := discoveryResource{Title: s.title, Description: s.description, Contact: s.contact}
	for _, root := range s.roots {
		d.APIRoots = append(d.APIRoots, base+"/taxii2/"+root.Name+"/")
	}
	d.Default = d.APIRoots[0]
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiRoot serves GET /taxii2/{root}/: one API root's description.
func (s *server) apiRoot(w http.ResponseWriter, r *http.Request) error {
	root, err := s.root(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiRootResource{
		Title:            root.Title,
		Description:      root.Description,
		Versions:         []string{MediaTypeTAXII},
		MaxContentLength: root.MaxContentLength,
	})
	return nil
}

// status serves GET /taxii2/{root}/status/{status_id}/. The server accepts
// no writes, so it has no status resources.
func (s *server) status(_ http.ResponseWriter, r *http.Request) error {
	if _, err := s.root(r); err != nil {
		return err
	}
	return notFound("There is no status %q: this server accepts no writes, so it has no status resources.", r.PathValue("status_id"))
}

// base is the scheme and authority (and any path prefix) the server is
// reached at.
func (s *server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
