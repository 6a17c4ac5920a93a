package api

import (
	"context"
	"net/http"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

func (s *Server) startScan(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	var in service.ScanInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	v, err := s.svc.StartScan(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, v)
	return nil
}

func (s *Server) listScans(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	scans, err := s.svc.ListScans(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(scans, ""))
	return nil
}

func (s *Server) listFindings(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	fs, next, err := s.svc.ListFindings(r.Context(), p, id, aicc.FindingStatus(r.URL.Query().Get("status")), pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(fs, next))
	return nil
}

func (s *Server) getFinding(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "finding_id", aicc.PrefixFinding)
	if err != nil {
		return err
	}
	f, err := s.svc.GetFinding(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

// noteInput is the rationale of a finding action.
type noteInput struct {
	Note string `json:"note"`
}

// findingAction serves the confirm, reject, dispute and comment actions.
func (s *Server) findingAction(act func(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Finding, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
		id, err := idOf(r, "finding_id", aicc.PrefixFinding)
		if err != nil {
			return err
		}
		var in noteInput
		if err := decode(r, &in); err != nil {
			return err
		}
		f, err := act(r.Context(), p, id, in.Note)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, f)
		return nil
	}
}

func (s *Server) createRemediation(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "finding_id", aicc.PrefixFinding)
	if err != nil {
		return err
	}
	var in service.RemediationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	rm, err := s.svc.CreateRemediation(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rm)
	return nil
}

func (s *Server) createRetest(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "finding_id", aicc.PrefixFinding)
	if err != nil {
		return err
	}
	var in service.RetestInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	rt, err := s.svc.CreateRetest(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, rt)
	return nil
}

func (s *Server) getRetest(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "retest_id", aicc.PrefixRetest)
	if err != nil {
		return err
	}
	rt, err := s.svc.GetRetest(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rt)
	return nil
}

func (s *Server) findingEvidence(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "finding_id", aicc.PrefixFinding)
	if err != nil {
		return err
	}
	ev, err := s.svc.FindingEvidence(r.Context(), p, id)
	if err != nil {
		return err
	}
	w.Header().Set("TLP", string(ev.TLP))
	writeJSON(w, http.StatusOK, ev)
	return nil
}
