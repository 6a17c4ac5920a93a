package taxii

import (
	"fmt"
	"net/http"
	"strconv"
)

// objects serves GET .../collections/{id}/objects/: an envelope of the
// collection's objects (TAXII 2.1 section 5.4).
func (s *server) objects(w http.ResponseWriter, r *http.Request) error {
	root, col, q, err := s.begin(r, matchID|matchType|matchVersion|matchSpecVersion)
	if err != nil {
		return err
	}
	p, err := fetch(r.Context(), root, col.ID, q)
	if err != nil {
		return err
	}
	return writeEnvelope(w, p)
}

// object serves GET .../collections/{id}/objects/{object_id}/: an envelope
// of one object's versions, the latest unless match[version] says otherwise
// (TAXII 2.1 section 5.6).
func (s *server) object(w http.ResponseWriter, r *http.Request) error {
	root, col, q, err := s.begin(r, matchVersion|matchSpecVersion)
	if err != nil {
		return err
	}
	q.IDs = []string{r.PathValue("object_id")}
	p, err := fetch(r.Context(), root, col.ID, q)
	if err != nil {
		return err
	}
	if err := foundObject(p, q, col.ID); err != nil {
		return err
	}
	return writeEnvelope(w, p)
}

// begin resolves the API root and collection a request names, in that
// order so that a hidden collection is a 404 whatever the parameters, and
// then reads its parameters.
func (s *server) begin(r *http.Request, accepts params) (*APIRoot, Collection, Query, error) {
	root, err := s.root(r)
	if err != nil {
		return nil, Collection{}, Query{}, err
	}
	col, err := findCollection(r.Context(), root, r.PathValue("id"))
	if err != nil {
		return nil, Collection{}, Query{}, err
	}
	q, err := s.parseQuery(r.URL.Query(), accepts)
	if err != nil {
		return nil, Collection{}, Query{}, err
	}
	return root, col, q, nil
}

// foundObject is a 404 when the first page for one object is empty.
func foundObject(p page, q Query, collectionID string) error {
	if len(p.objects) == 0 && q.After.IsZero() && q.AddedAfter.IsZero() {
		return notFound("There is no object %q matching these filters in collection %q.", q.IDs[0], collectionID)
	}
	return nil
}

// writeEnvelope writes p as a TAXII envelope, copying each object's JSON
// byte-for-byte rather than re-encoding it.
func writeEnvelope(w http.ResponseWriter, p page) error {
	size := 64 + len(p.next)
	for _, o := range p.objects {
		if !validObject(o.JSON) {
			return fmt.Errorf("object %s from the Source is not a JSON object", o.ID)
		}
		size += len(o.JSON) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, `{"more":`...)
	b = strconv.AppendBool(b, p.more)
	if p.next != "" {
		b = append(b, `,"next":`...)
		b = strconv.AppendQuote(b, p.next) // base64url: nothing to escape
	}
	if len(p.objects) > 0 {
		b = append(b, `,"objects":[`...)
		for i, o := range p.objects {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, o.JSON...)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	setDateAdded(w.Header(), p)
	writeBody(w, http.StatusOK, b)
	return nil
}
