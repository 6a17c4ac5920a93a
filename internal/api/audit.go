package api

import (
	"net/http"
	"strconv"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
)

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	q := r.URL.Query()
	var after int64
	a := q.Get("after")
	if a == "" {
		a = q.Get("cursor") // the next_cursor of the previous page
	}
	if a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return aicc.Errorf(aicc.KindInvalid, "after %q: an entry number, 0 or more", a)
		}
		after = n
	}
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	entries, err := s.svc.AuditEntries(r.Context(), p, after, pg.Size())
	if err != nil {
		return err
	}
	next := ""
	if len(entries) == pg.Size() {
		next = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, list(entries, next))
	return nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in struct {
		Checkpoints []audit.Checkpoint `json:"checkpoints"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	rep, err := s.svc.VerifyAudit(r.Context(), p, in.Checkpoints)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
