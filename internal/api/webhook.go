package api

import (
	"net/http"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.WebhookInput
	if err := decode(r, &in); err != nil {
		return err
	}
	wh, err := s.svc.CreateWebhook(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, wh)
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	whs, err := s.svc.ListWebhooks(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(whs, ""))
	return nil
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "webhook_id", aicc.PrefixWebhook)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(r.Context(), p, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "webhook_id", aicc.PrefixWebhook)
	if err != nil {
		return err
	}
	ds, err := s.svc.ListDeliveries(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, ""))
	return nil
}
