package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
)

// advisoryID returns the advisory ID of the path.
func advisoryID(r *http.Request) (string, error) {
	id := r.PathValue("advisory_id")
	if _, _, err := advisory.ParseID(id); err != nil {
		return "", aicc.Errorf(aicc.KindNotFound, "advisory %q: not an advisory ID (AICC-YYYY-NNNN)", id)
	}
	return id, nil
}

func (s *Server) createAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.AdvisoryInput
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.svc.CreateAdvisory(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) listAdvisories(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AdvisoryFilter{DeveloperOrgID: q.Get("developer_org_id"), SubmissionID: q.Get("submission_id")}
	if st := q.Get("state"); st != "" {
		for v := range strings.SplitSeq(st, ",") {
			if !advisory.State(v).Valid() {
				return aicc.Errorf(aicc.KindInvalid, "state %q: want draft, embargoed, published, updated or withdrawn (comma-separated)", v)
			}
			f.States = append(f.States, advisory.State(v))
		}
	}
	as, next, err := s.svc.ListAdvisories(r.Context(), p, f, pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(as, next))
	return nil
}

func (s *Server) getAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.GetAdvisory(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) getAdvisoryRevision(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("revision"))
	if err != nil || n < 1 {
		return aicc.Errorf(aicc.KindNotFound, "revision %q: revisions are numbered 1, 2, …", r.PathValue("revision"))
	}
	a, err := s.svc.GetAdvisoryRevision(r.Context(), p, id, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) updateAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	var in service.AdvisoryPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.svc.UpdateAdvisory(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) publishAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.PublishAdvisory(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) moveEmbargo(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	var in service.EmbargoInput
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.svc.MoveEmbargo(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) attachStatement(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.svc.AttachStatement(r.Context(), p, id, in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) withdrawAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.svc.WithdrawAdvisory(r.Context(), p, id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) createAdvisorySubscription(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	var in service.SubscriptionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	sb, err := s.svc.CreateAdvisorySubscription(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sb)
	return nil
}

func (s *Server) listAdvisorySubscriptions(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	subs, err := s.svc.ListAdvisorySubscriptions(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(subs, ""))
	return nil
}

func (s *Server) deleteAdvisorySubscription(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := idOf(r, "subscription_id", aicc.PrefixAdvisorySub)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteAdvisorySubscription(r.Context(), p, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) exportAdvisory(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	id, err := advisoryID(r)
	if err != nil {
		return err
	}
	revision := 0
	if v := r.URL.Query().Get("revision"); v != "" {
		if revision, err = strconv.Atoi(v); err != nil || revision < 1 {
			return aicc.Errorf(aicc.KindInvalid, "revision %q: revisions are numbered 1, 2, …", v)
		}
	}
	doc, err := s.svc.ExportAdvisory(r.Context(), p, id, r.URL.Query().Get("format"), revision)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+doc.Name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(doc.Body)
	return err
}

// feed serves the advisories feed in JSON Feed 1.1 or Atom 1.0: without
// credentials the public one, with a token what the caller's organization
// may see (and, with ?subscription=ID, only what that subscription's
// filter matches).
func (s *Server) feed(format, contentType string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
		b, err := s.svc.Feed(r.Context(), p, format, r.URL.Query().Get("subscription"))
		if err != nil {
			return err
		}
		serveDocument(w, r, p, contentType, b)
		return nil
	}
}

// serveDocument serves a feed or directory file with an ETag, so that
// mirrors can ask If-None-Match and get 304 Not Modified; anonymous
// answers may be cached by shared caches, others only privately.
func serveDocument(w http.ResponseWriter, r *http.Request, p aicc.Principal, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	sum := sha256.Sum256(b)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	if p.Anonymous() {
		h.Set("Cache-Control", "public, max-age=60")
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	h.Set("Vary", "Authorization")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// csafFile serves the CSAF provider directory at /.well-known/csaf/.
func (s *Server) csafFile(w http.ResponseWriter, r *http.Request, p aicc.Principal) error {
	b, ct, err := s.svc.CSAFFile(r.Context(), p, r.PathValue("path"))
	if err != nil {
		return err
	}
	serveDocument(w, r, p, ct, b)
	return nil
}

// securityTxt is /.well-known/security.txt (RFC 9116): how to reach the
// clearinghouse, and the CSAF field that points CSAF tooling at the
// provider metadata (CSAF 2.0 section 7.1.8).
func (s *Server) securityTxt(w http.ResponseWriter, r *http.Request, _ aicc.Principal) error {
	pub := s.svc.Publisher()
	contact := pub.ContactDetails
	if strings.Contains(contact, "@") && !strings.Contains(contact, ":") {
		contact = "mailto:" + contact
	}
	if !strings.Contains(contact, ":") || strings.ContainsAny(contact, " \n") {
		contact = strings.TrimRight(pub.BaseURL, "/") + "/"
	}
	base := strings.TrimRight(pub.BaseURL, "/")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err := fmt.Fprintf(w, "Contact: %s\nExpires: %s\nPreferred-Languages: en\nCanonical: %s/.well-known/security.txt\nCSAF: %s/.well-known/csaf/provider-metadata.json\n",
		contact, time.Now().UTC().AddDate(0, 0, 180).Truncate(24*time.Hour).Format(time.RFC3339), base, base)
	return err
}
