package api

import (
	"net/http"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

func (s *Server) createDesignation(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.DesignationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.CreateDesignation(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) listDesignations(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	dq := service.DesignationQuery{Model: q.Get("model"), AuthorityOrgID: q.Get("authority_org_id")}
	switch v := q.Get("include_revoked"); v {
	case "", "false":
	case "true":
		dq.IncludeRevoked = true
	default:
		return aicc.Errorf(aicc.KindInvalid, "include_revoked %q: true or false", v)
	}
	ds, next, err := s.svc.ListDesignations(r.Context(), p, dq, pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, next))
	return nil
}

func (s *Server) revokeDesignation(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "designation_id", aicc.PrefixDesignation)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.RevokeDesignation(r.Context(), p, id, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) getCoverage(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	c, err := s.svc.Coverage(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) evaluateCoverage(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	c, err := s.svc.EvaluateCoverage(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	ps, err := s.svc.ListPolicies(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ps, ""))
	return nil
}
