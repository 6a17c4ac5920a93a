package taxii

import "net/http"

// authenticated answers 401 unless Config.Authenticate identifies the
// caller, and otherwise passes the request on with the caller in its
// context.
func (s *server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, err := s.authenticate(r)
		if err != nil {
			s.log.DebugContext(r.Context(), "taxii: authentication failed", "path", r.URL.Path, "err", err)
			s.fail(w, r, &problem{http.StatusUnauthorized,
				"This server needs credentials: send them in the Authorization header."})
			return
		}
		if ctx != nil {
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}
