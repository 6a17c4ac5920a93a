package api

import (
	"net/http"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

// submissionInput is a submission as the API takes it: the credential
// travels in the body (over TLS) and is never returned.
type submissionInput struct {
	service.SubmissionInput
	Credential string `json:"credential,omitempty"`
}

func (s *Server) createSubmission(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in submissionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	in.SubmissionInput.Credential = aicc.NewSecret(in.Credential)
	sub, err := s.svc.CreateSubmission(r.Context(), p, in.SubmissionInput)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sub)
	return nil
}

func (s *Server) getSubmission(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	sub, err := s.svc.GetSubmission(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func (s *Server) listSubmissions(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sq := service.SubmissionQuery{OrgID: q.Get("org_id"), State: aicc.ReviewState(q.Get("state")), Open: q.Get("open") == "true"}
	if sq.State != "" && !sq.State.Valid() {
		return aicc.Errorf(aicc.KindInvalid, "state %q: not a review state", sq.State)
	}
	subs, next, err := s.svc.ListSubmissions(r.Context(), p, sq, pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(subs, next))
	return nil
}

func (s *Server) moveRelease(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	var in struct {
		ReleaseDate string `json:"release_date"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	sub, err := s.svc.MoveRelease(r.Context(), p, id, in.ReleaseDate)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	sub, err := s.svc.Withdraw(r.Context(), p, id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func (s *Server) markReleased(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	sub, err := s.svc.MarkReleased(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func (s *Server) listReminders(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	rs, err := s.svc.ListReminders(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs, ""))
	return nil
}

func (s *Server) advance(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "submission_id", aicc.PrefixSubmission)
	if err != nil {
		return err
	}
	var in struct {
		Event string `json:"event"`
		Note  string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	sub, err := s.svc.Advance(r.Context(), p, id, in.Event, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}
