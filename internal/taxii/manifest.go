package taxii

import "net/http"

// manifestResource is TAXII 2.1 section 5.3.1, with next as in envelopes.
type manifestResource struct {
	More    bool             `json:"more"`
	Next    string           `json:"next,omitempty"`
	Objects []manifestRecord `json:"objects,omitempty"`
}

// manifestRecord is TAXII 2.1 section 5.3.1.1.
type manifestRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type"`
}

// versionsResource is TAXII 2.1 section 5.7.1, with next as in envelopes.
type versionsResource struct {
	More     bool     `json:"more"`
	Next     string   `json:"next,omitempty"`
	Versions []string `json:"versions,omitempty"`
}

// manifest serves GET .../collections/{id}/manifest/: what objects the
// collection holds, without their content (TAXII 2.1 section 5.3).
func (s *server) manifest(w http.ResponseWriter, r *http.Request) error {
	root, col, q, err := s.begin(r, matchID|matchType|matchVersion|matchSpecVersion)
	if err != nil {
		return err
	}
	p, err := fetch(r.Context(), root, col.ID, q)
	if err != nil {
		return err
	}
	res := manifestResource{More: p.more, Next: p.next}
	for _, o := range p.objects {
		res.Objects = append(res.Objects, manifestRecord{
			ID:        o.ID,
			DateAdded: formatTime(o.Added),
			Version:   formatTime(o.Version),
			MediaType: "application/stix+json;version=" + o.specVersion(),
		})
	}
	setDateAdded(w.Header(), p)
	writeJSON(w, http.StatusOK, res)
	return nil
}

// versions serves GET .../collections/{id}/objects/{object_id}/versions/:
// every version of one object (TAXII 2.1 section 5.7).
func (s *server) versions(w http.ResponseWriter, r *http.Request) error {
	root, col, q, err := s.begin(r, matchSpecVersion)
	if err != nil {
		return err
	}
	q.IDs = []string{r.PathValue("object_id")}
	q.Versions = VersionMatch{All: true}
	p, err := fetch(r.Context(), root, col.ID, q)
	if err != nil {
		return err
	}
	if err := foundObject(p, q, col.ID); err != nil {
		return err
	}
	res := versionsResource{More: p.more, Next: p.next}
	for _, o := range p.objects {
		res.Versions = append(res.Versions, formatTime(o.Version))
	}
	setDateAdded(w.Header(), p)
	writeJSON(w, http.StatusOK, res)
	return nil
}
