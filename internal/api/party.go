package api

import (
	"net/http"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
)

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.OrgInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.svc.CreateOrg(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "org_id", aicc.PrefixOrg)
	if err != nil {
		return err
	}
	o, err := s.svc.GetOrg(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	orgs, next, err := s.svc.ListOrgs(r.Context(), p, pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(orgs, next))
	return nil
}

// userWithToken is a new user as the API shows them: with the value of
// their first token, shown this once.
type userWithToken struct {
	aicc.User
	Token          string    `json:"token"`
	TokenID        string    `json:"token_id"`
	TokenExpiresAt time.Time `json:"token_expires_at"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.UserInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.CreateUser(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userWithToken{User: u.User, Token: u.Token.Value.Reveal(), TokenID: u.Token.ID, TokenExpiresAt: u.Token.ExpiresAt})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	users, next, err := s.svc.ListUsers(r.Context(), p, r.URL.Query().Get("org_id"), pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(users, next))
	return nil
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "user_id", aicc.PrefixUser)
	if err != nil {
		return err
	}
	if err := s.svc.DisableUser(r.Context(), p, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tokenInput asks for a token; ttl_days 0 is the server's default.
type tokenInput struct {
	Name    string `json:"name"`
	TTLDays int    `json:"ttl_days,omitempty"`
}

// newToken is a token as created, with its value shown this once.
type newToken struct {
	aicc.Token
	Value string `json:"token"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "user_id", aicc.PrefixUser)
	if err != nil {
		return err
	}
	var in tokenInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.TTLDays < 0 || in.TTLDays > 366 {
		return aicc.Errorf(aicc.KindInvalid, "ttl_days: from 1 to 366, or 0 for the server's default")
	}
	tk, err := s.svc.CreateToken(r.Context(), p, service.TokenInput{UserID: id, Name: in.Name, TTL: time.Duration(in.TTLDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newToken{Token: tk.Token, Value: tk.Value.Reveal()})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "user_id", aicc.PrefixUser)
	if err != nil {
		return err
	}
	toks, err := s.svc.ListTokens(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(toks, ""))
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	uid, err := idOf(r, "user_id", aicc.PrefixUser)
	if err != nil {
		return err
	}
	tid, err := idOf(r, "token_id", aicc.PrefixToken)
	if err != nil {
		return err
	}
	if err := s.svc.RevokeToken(r.Context(), p, uid, tid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
