package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func validSubscription(t *testing.T) *webhook.Subscription {
	t.Helper()
	s, err := webhook.NewSubscription(aicc.NewID(aicc.PrefixOrg), "https://hooks.example.com/aicc?tenant=7", []string{"finding.*", "review.completed"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewSubscription(t *testing.T) {
	s := validSubscription(t)
	if !aicc.HasPrefix(s.ID, aicc.PrefixWebhook) || !s.Active || !strings.HasPrefix(s.Secret.Reveal(), "whsec_") {
		t.Errorf("new subscription = %+v", s)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), s.Secret.Reveal()) || !strings.Contains(string(b), `"secret":"[redacted]"`) {
		t.Errorf("JSON shows the secret: %s", b)
	}
}

func TestSubscriptionValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*webhook.Subscription)
		field  string // in the error; "" for valid
	}{
		{"valid", func(*webhook.Subscription) {}, ""},
		{"plain http allowed", func(s *webhook.Subscription) { s.URL = "http://10.0.0.5:8080/hook" }, ""},
		{"bad id", func(s *webhook.Subscription) { s.ID = "sub_x" }, "subscription id"},
		{"bad org", func(s *webhook.Subscription) { s.OrgID = "" }, "org_id"},
		{"no created_at", func(s *webhook.Subscription) { s.CreatedAt = time.Time{} }, "created_at"},
		{"empty url", func(s *webhook.Subscription) { s.URL = "" }, "url"},
		{"relative url", func(s *webhook.Subscription) { s.URL = "/hook" }, "url"},
		{"ftp url", func(s *webhook.Subscription) { s.URL = "ftp://example.com/x" }, "scheme"},
		{"no host", func(s *webhook.Subscription) { s.URL = "https:///x" }, "host"},
		{"password in url", func(s *webhook.Subscription) { s.URL = "https://u:hunter2@example.com/" }, "password"},
		{"fragment", func(s *webhook.Subscription) { s.URL = "https://example.com/#x" }, "fragment"},
		{"long url", func(s *webhook.Subscription) { s.URL = "https://example.com/" + strings.Repeat("a", 2048) }, "url"},
		{"no secret", func(s *webhook.Subscription) { s.Secret = aicc.Secret{} }, "secret"},
		{"short secret", func(s *webhook.Subscription) { s.Secret = aicc.NewSecret("whsec_c2hvcnQ=") }, "secret"},
		{"no events", func(s *webhook.Subscription) { s.Events = nil }, "events"},
		{"bad event filter", func(s *webhook.Subscription) { s.Events = []string{"finding.*", "finding confirmed"} }, "finding confirmed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSubscription(t)
			tt.change(s)
			err := s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if aicc.KindOf(err) != aicc.KindInvalid || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("Validate = %v, want an invalid error naming %q", err, tt.field)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q echoes the password", err)
			}
		})
	}
}

func TestSubscriptionWants(t *testing.T) {
	s := validSubscription(t)
	for event, want := range map[string]bool{
		"finding.confirmed":  true,
		"review.completed":   true,
		"review.started":     false,
		"advisory.published": false,
	} {
		if got := s.Wants(event); got != want {
			t.Errorf("Wants(%q) = %v, want %v", event, got, want)
		}
	}
	s.Active = false
	if s.Wants("finding.confirmed") {
		t.Error("an inactive subscription wants events")
	}
}
