package taxii

import (
	"context"
	"fmt"
	"net/http"
)

// collectionResource is TAXII 2.1 section 5.2.1.
type collectionResource struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types,omitempty"`
}

// collectionsResource is TAXII 2.1 section 5.1.1.
type collectionsResource struct {
	Collections []collectionResource `json:"collections,omitempty"`
}

// collections serves GET /taxii2/{root}/collections/: those the caller may
// read.
func (s *server) collections(w http.ResponseWriter, r *http.Request) error {
	root, err := s.root(r)
	if err != nil {
		return err
	}
	cols, err := root.Source.Collections(r.Context())
	if err != nil {
		return fmt.Errorf("list collections of API root %q: %w", root.Name, err)
	}
	var res collectionsResource
	for _, c := range cols {
		res.Collections = append(res.Collections, resourceOf(c))
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// collection serves GET /taxii2/{root}/collections/{id}/.
func (s *server) collection(w http.ResponseWriter, r *http.Request) error {
	root, err := s.root(r)
	if err != nil {
		return err
	}
	c, err := findCollection(r.Context(), root, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resourceOf(c))
	return nil
}

// findCollection is the collection id of root if the caller may read it,
// and otherwise a 404 that does not say whether it exists.
func findCollection(ctx context.Context, root *APIRoot, id string) (Collection, error) {
	cols, err := root.Source.Collections(ctx)
	if err != nil {
		return Collection{}, fmt.Errorf("list collections of API root %q: %w", root.Name, err)
	}
	for _, c := range cols {
		if c.ID == id {
			return c, nil
		}
	}
	return Collection{}, notFound("There is no collection %q that you may read; GET the collections endpoint to list them.", id)
}

func resourceOf(c Collection) collectionResource {
	mediaTypes := c.MediaTypes
	if len(mediaTypes) == 0 {
		mediaTypes = []string{MediaTypeSTIX}
	}
	return collectionResource{
		ID:          c.ID,
		Title:       c.Title,
		Description: c.Description,
		Alias:       c.Alias,
		CanRead:     true,
		CanWrite:    false,
		MediaTypes:  mediaTypes,
	}
}
