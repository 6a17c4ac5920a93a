package service_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/coverage"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// parties is a service with a developer and an agency, and principals
// acting for each.
type parties struct {
	svc            *service.Service
	admin, dev, ag aicc.Principal
}

func setup(t testing.TB, policies []*coverage.Policy) *parties {
	t.Helper()
	ctx := context.Background()
	ts := newTestService(t, func(c *service.Config) { c.Policies = policies })
	svc := ts.svc
	p := &parties{svc: svc, admin: ts.admin}
	for _, c := range []struct {
		name string
		kind aicc.OrgKind
		role aicc.MemberRole
		to   *aicc.Principal
	}{
		{"Example AI", aicc.OrgDeveloper, aicc.RoleDeveloper, &p.dev},
		{"NSA", aicc.OrgAgency, aicc.RoleAnalyst, &p.ag},
	} {
		o, err := svc.CreateOrg(ctx, p.admin, service.OrgInput{Name: c.name, Kind: c.kind})
		if err != nil {
			t.Fatal(err)
		}
		*c.to = aicc.Principal{UserID: "usr_" + string(c.kind), OrgID: o.ID, OrgKind: c.kind, Role: c.role}
	}
	return p
}

func (p *parties) submit(t testing.TB, facts aicc.ModelFacts) *aicc.Submission {
	t.Helper()
	sub, err := p.svc.CreateSubmission(context.Background(), p.dev, service.SubmissionInput{
		Model: "example-chat", Version: "1.0", Facts: facts, ReleaseDate: "2026-12-19",
		Endpoint: aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9000/v1", Model: "m"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// onePolicy is a valid policy file with the given id and version.
func onePolicy(t *testing.T, id, version string) *coverage.Policy {
	t.Helper()
	src := `format: 1
id: ` + id + `
version: ` + version + `
title: Test policy
effective: 2026-01-01
citations:
  - {id: src, title: A source}
rules:
  - {id: designated, cite: [src], summary: Designated., when: {designated: {kind: covered_frontier_model}}, outcome: covered}
  - {id: otherwise, cite: [src], summary: Otherwise., when: {always: true}, outcome: not_covered}
`
	pol, err := coverage.Parse(id+".yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func TestConfiguredPolicies(t *testing.T) {
	ctx := context.Background()
	p := setup(t, []*coverage.Policy{onePolicy(t, "only", "1.0.0"), onePolicy(t, "only", "1.1.0")})
	sub := p.submit(t, aicc.ModelFacts{})
	cov, err := p.svc.Coverage(ctx, p.dev, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cov.Results) != 1 || cov.Results[0].PolicyID != "only" || cov.Results[0].PolicyVersion != "1.1.0" || cov.Results[0].Outcome != aicc.CoverageNotCovered {
		t.Errorf("coverage under the configured policies = %+v, want one not_covered result of only 1.1.0", cov.Results)
	}
	infos, err := p.svc.ListPolicies(ctx, p.dev)
	if err != nil || len(infos) != 2 || infos[0].Current || !infos[1].Current {
		t.Errorf("ListPolicies = %+v, %v; want both versions, the later current", infos, err)
	}

	for _, c := range []struct {
		name     string
		policies []*coverage.Policy
	}{
		{"a nil policy", []*coverage.Policy{nil}},
		{"one id and version twice, with different content", func() []*coverage.Policy {
			a, b := onePolicy(t, "dup", "1.0.0"), onePolicy(t, "dup", "1.0.0")
			b.Digest = "sha256:other"
			return []*coverage.Policy{a, b}
		}()},
	} {
		kr, _ := keyring.NewEphemeral()
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "aicc.db"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = service.New(service.Config{Store: db, Keyring: kr, Policies: c.policies})
		db.Close()
		if aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("%s: New = %v, want an invalid-configuration error", c.name, err)
		}
	}
}

// FuzzCreateDesignation checks that any designation input is either
// recorded as a valid designation, after which the coverage of the open
// submission it may apply to still reads back, or refused as invalid.
func FuzzCreateDesignation(f *testing.F) {
	f.Add("example-chat", "", "NSA notice 2026-14", "2026-11-28", "", "")
	f.Add("example-chat", "1.0", "C(2026) 1234", "2026-11-01", "systemic_risk", "ünïcödé")
	f.Add(" example-chat ", "2.0", "r", "2027-01-01", "covered_frontier_model", "")
	f.Add("", "", "", "", "licensed", "")
	f.Add("m", strings.Repeat("v", 101), "r", "2026-02-30", "", "")
	f.Add("m", "", "r", "0001-01-01", "", "")
	p := setup(f, nil)
	sub := p.submit(f, aicc.ModelFacts{Compute: &aicc.ComputeEstimate{Operations: 3e26, Method: "6ND", Uncertainty: 0.1}})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, model, version, reference, date, kind, note string) {
		d, err := p.svc.CreateDesignation(ctx, p.ag, service.DesignationInput{
			Model: model, Version: version, Reference: reference, Date: date, Kind: aicc.DesignationKind(kind), Note: note,
		})
		if err != nil {
			if aicc.KindOf(err) != aicc.KindInvalid {
				t.Fatalf("CreateDesignation = %v (kind %s), want a valid designation or an invalid-input error", err, aicc.KindOf(err))
			}
			return
		}
		if verr := d.Validate(); verr != nil || !strings.HasPrefix(d.ID, aicc.PrefixDesignation) {
			t.Fatalf("recorded designation %+v is not valid: %v", d, verr)
		}
		cov, err := p.svc.Coverage(ctx, p.dev, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range cov.Results {
			if r.PolicyID == coverage.ClearinghouseID && r.Outcome != aicc.CoverageCovered && r.Outcome != aicc.CoverageRecommendConsultation {
				t.Fatalf("clearinghouse outcome %s, want covered or recommend_consultation", r.Outcome)
			}
		}
	})
}
