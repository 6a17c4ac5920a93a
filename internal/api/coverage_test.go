package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type ruleMatch struct {
	RuleID       string   `json:"rule_id"`
	Outcome      string   `json:"outcome"`
	Decides      bool     `json:"decides"`
	Designations []string `json:"designations"`
	Citations    []struct {
		ID string `json:"id"`
	} `json:"citations"`
}

type coverageAnswer struct {
	SubmissionID string `json:"submission_id"`
	EvaluatedAt  string `json:"evaluated_at"`
	Results      []struct {
		PolicyID string      `json:"policy_id"`
		Outcome  string      `json:"outcome"`
		InEffect bool        `json:"in_effect"`
		Matched  []ruleMatch `json:"matched"`
		Missing  []string    `json:"missing"`
	} `json:"results"`
}

// outcomes maps each policy to its outcome.
func (c coverageAnswer) outcomes() map[string]string {
	m := map[string]string{}
	for _, r := range c.Results {
		m[r.PolicyID] = r.Outcome
	}
	return m
}

// deciding returns the rule that decided a policy's outcome.
func (c coverageAnswer) deciding(policy string) ruleMatch {
	for _, r := range c.Results {
		if r.PolicyID == policy {
			for _, m := range r.Matched {
				if m.Decides {
					return m
				}
			}
		}
	}
	return ruleMatch{}
}

// submit creates a submission as token and returns its ID.
func (b *bundle) submit(token string, body map[string]any) string {
	b.t.Helper()
	r := b.do(token, "POST", "/v1/submissions", body)
	b.want(r, http.StatusCreated)
	var s idOnly
	r.decode(b.t, &s)
	return s.ID
}

func (b *bundle) coverage(token, sub string) coverageAnswer {
	b.t.Helper()
	r := b.do(token, "GET", "/v1/submissions/"+sub+"/coverage", nil)
	b.want(r, http.StatusOK)
	var c coverageAnswer
	r.decode(b.t, &c)
	if c.SubmissionID != sub {
		b.t.Fatalf("coverage of %s answered for %q", sub, c.SubmissionID)
	}
	return c
}

// designate records a designation as token and returns its ID.
func (b *bundle) designate(token string, body map[string]any) string {
	b.t.Helper()
	r := b.do(token, "POST", "/v1/designations", body)
	b.want(r, http.StatusCreated)
	var d idOnly
	r.decode(b.t, &d)
	if !strings.HasPrefix(d.ID, "des_") {
		b.t.Fatalf("new designation's id %q", d.ID)
	}
	return d.ID
}

func TestDesignationMakesOpenSubmissionCovered(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "developer")
	_, nsa := b.party("NSA", "agency", "analyst")
	sub := b.submit(dev, submission("2026-12-19")) // 3e25 ±30 %: below the clearinghouse's proxy, above the EU presumption
	// A second, already withdrawn, submission of the model: its latest
	// evaluation is not redone.
	closed := b.submit(dev, submission("2026-12-20"))
	b.want(b.do(dev, "POST", "/v1/submissions/"+closed+"/withdraw", nil), http.StatusOK)

	before := b.coverage(dev, sub)
	if got := before.outcomes(); got["clearinghouse"] != "not_covered" || got["eu-ai-act-art51"] != "presumed_covered" {
		t.Fatalf("coverage at submission = %v", got)
	}

	des := b.designate(nsa, map[string]any{"model": "example-chat", "reference": "NSA designation notice 2026-14", "date": "2026-11-28"})
	after := b.coverage(dev, sub)
	if got := after.outcomes(); got["clearinghouse"] != "covered" || got["eu-ai-act-art51"] != "presumed_covered" {
		t.Fatalf("coverage after the designation = %v, want covered under the clearinghouse policy", got)
	}
	m := after.deciding("clearinghouse")
	if m.RuleID != "designated" || !slices.Equal(m.Designations, []string{des}) || len(m.Citations) == 0 {
		t.Errorf("deciding rule %+v, want rule designated resting on %s, with citations", m, des)
	}
	if got := b.coverage(dev, closed).outcomes(); got["clearinghouse"] != "not_covered" {
		t.Errorf("a withdrawn submission was evaluated again: %v", got)
	}
	// Asking again gives the same answer.
	r := b.do(dev, "POST", "/v1/submissions/"+closed+"/coverage", nil)
	b.want(r, http.StatusOK)
	var again coverageAnswer
	r.decode(t, &again)
	if got := again.outcomes(); got["clearinghouse"] != "covered" {
		t.Errorf("re-evaluating the withdrawn submission = %v, want covered", got)
	}

	// The agency revokes it: the designation stops covering.
	r = b.do(nsa, "POST", "/v1/designations/"+des+"/revoke", map[string]any{"note": "issued in error"})
	b.want(r, http.StatusOK)
	var revoked struct {
		RevokedAt      string `json:"revoked_at"`
		RevocationNote string `json:"revocation_note"`
	}
	r.decode(t, &revoked)
	if revoked.RevokedAt == "" || revoked.RevocationNote != "issued in error" {
		t.Errorf("revoked designation %s", r.body)
	}
	if got := b.coverage(dev, sub).outcomes(); got["clearinghouse"] != "not_covered" {
		t.Errorf("coverage after the revocation = %v, want not_covered", got)
	}
	b.problem(b.do(nsa, "POST", "/v1/designations/"+des+"/revoke", map[string]any{"note": "twice"}), http.StatusConflict, "already revoked")

	var page struct{ Items []idOnly }
	b.do(nsa, "GET", "/v1/designations", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("standing designations %v, want none", page.Items)
	}
	b.do(b.admin, "GET", "/v1/designations?include_revoked=true&model=example-chat", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != des {
		t.Errorf("designations with revoked ones %v, want %s", page.Items, des)
	}

	actions := b.audited()
	for _, a := range []string{"designation.create", "designation.revoke"} {
		if actions[a] == nil {
			t.Errorf("audit log lacks %s: %v", a, actions)
		}
	}
	if n := actions["coverage.evaluate"][sub]; n != 3 { // at submission, after the designation, after the revocation
		t.Errorf("%d coverage.evaluate entries for %s, want 3", n, sub)
	}
}

// audited counts the audit log's entries by action and object.
func (b *bundle) audited() map[string]map[string]int {
	b.t.Helper()
	var entries struct {
		Items []struct {
			Action   string `json:"action"`
			ObjectID string `json:"object_id"`
		} `json:"items"`
	}
	b.do(b.admin, "GET", "/v1/audit?limit=1000", nil).decode(b.t, &entries)
	out := map[string]map[string]int{}
	for _, e := range entries.Items {
		if out[e.Action] == nil {
			out[e.Action] = map[string]int{}
		}
		out[e.Action][e.ObjectID]++
	}
	return out
}

func TestDesignationScope(t *testing.T) {
	b := setup(t)
	devOrg, dev := b.party("Example AI", "developer", "developer")
	_, rival := b.party("Rival AI", "developer", "developer")
	_, ec := b.party("European Commission", "agency", "analyst")
	mine := b.submit(dev, submission("2026-12-19"))
	s := submission("2026-12-19")
	s["version"] = "2.0"
	mine2 := b.submit(dev, s)
	theirs := b.submit(rival, submission("2026-12-19"))

	// A designation of version 2.0 of Example AI's model, as a GPAI model
	// with systemic risk, by the Commission.
	b.designate(ec, map[string]any{
		"model": "example-chat", "version": "2.0", "developer_org_id": devOrg, "designation": "systemic_risk",
		"reference": "C(2026) 1234", "date": "2026-11-01",
	})
	for _, c := range []struct {
		token, sub string
		eu, ch     string
	}{
		{dev, mine2, "covered", "not_covered"},         // designated; the clearinghouse counts only covered_frontier_model
		{dev, mine, "presumed_covered", "not_covered"}, // another version
		{rival, theirs, "presumed_covered", "not_covered"},
	} {
		if got := b.coverage(c.token, c.sub).outcomes(); got["eu-ai-act-art51"] != c.eu || got["clearinghouse"] != c.ch {
			t.Errorf("coverage of %s = %v, want eu-ai-act-art51 %s and clearinghouse %s", c.sub, got, c.eu, c.ch)
		}
	}
	// Only the submission the designation applies to was evaluated again.
	evals := b.audited()["coverage.evaluate"]
	if evals[mine2] != 2 || evals[mine] != 1 || evals[theirs] != 1 {
		t.Errorf("coverage.evaluate entries %v, want 2 for %s and 1 for the others", evals, mine2)
	}
}

func TestCoverageNeverRefusesASubmission(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "developer")
	compute := func(ops, unc float64) map[string]any {
		return map[string]any{"training_compute": map[string]any{"operations": ops, "method": "6ND", "uncertainty": unc}}
	}
	for _, c := range []struct {
		name   string
		facts  map[string]any
		ch, eu string
	}{
		{"far above every threshold", compute(3e26, 0.1), "recommend_consultation", "presumed_covered"},
		{"straddling 1e26", compute(1e26, 0.3), "recommend_consultation", "presumed_covered"},
		{"straddling 1e25", compute(1e25, 0.3), "not_covered", "indeterminate"},
		{"above the EU presumption only", compute(2e25, 0), "not_covered", "presumed_covered"},
		{"below every threshold", compute(5e24, 0.2), "not_covered", "not_covered"},
		{"compute not reported", map[string]any{}, "indeterminate", "indeterminate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := submission("2026-12-19")
			s["model"] = "model-" + strings.ReplaceAll(c.name, " ", "-")
			s["facts"] = c.facts
			sub := b.submit(dev, s) // accepted whatever its coverage
			cov := b.coverage(dev, sub)
			got := cov.outcomes()
			if got["clearinghouse"] != c.ch || got["eu-ai-act-art51"] != c.eu {
				t.Errorf("coverage = %v, want clearinghouse %s and eu-ai-act-art51 %s", got, c.ch, c.eu)
			}
			for _, r := range cov.Results {
				if r.PolicyID == "clearinghouse" && (r.Outcome == "covered" || r.Outcome == "presumed_covered") {
					t.Errorf("the clearinghouse policy gave %s without a designation", r.Outcome)
				}
				if r.PolicyID == "eo-14110" && r.InEffect {
					t.Error("the revoked EO 14110 policy is reported in effect")
				}
			}
			if c.ch == "indeterminate" {
				for _, r := range cov.Results {
					if r.PolicyID == "clearinghouse" && !slices.Contains(r.Missing, "training_compute") {
						t.Errorf("indeterminate without naming the missing fact: %+v", r)
					}
				}
			}
		})
	}
}

func TestCoverageAccess(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "developer")
	_, rival := b.party("Rival AI", "developer", "developer")
	_, operator := b.party("Grid Co", "operator", "admin")
	nsaOrg, nsa := b.party("NSA", "agency", "analyst")
	cisaOrg, cisa := b.party("CISA", "agency", "analyst")
	_, cisaViewer := b.party("CISA viewers", "agency", "viewer")
	private := b.submit(dev, submission("2026-12-19"))
	shared := submission("2026-12-19")
	shared["consent"] = map[string]any{"share_with_agencies": true}
	sharedSub := b.submit(dev, shared)
	des := b.designate(nsa, map[string]any{"model": "example-chat", "reference": "notice", "date": "2026-11-28"})
	body := map[string]any{"model": "m", "reference": "notice", "date": "2026-11-28"}

	for _, c := range []struct {
		name          string
		token, method string
		path          string
		body          any
		status        int
	}{
		{"developer designates", dev, "POST", "/v1/designations", body, http.StatusForbidden},
		{"clearinghouse designates", b.admin, "POST", "/v1/designations", body, http.StatusForbidden},
		{"agency viewer designates", cisaViewer, "POST", "/v1/designations", body, http.StatusForbidden},
		{"agency designates in another's name", cisa, "POST", "/v1/designations", map[string]any{"model": "m", "reference": "r", "date": "2026-11-28", "authority_org_id": nsaOrg}, http.StatusForbidden},
		{"agency designates in its own name", cisa, "POST", "/v1/designations", map[string]any{"model": "m", "reference": "r", "date": "2026-11-28", "authority_org_id": cisaOrg}, http.StatusCreated},
		{"another agency revokes", cisa, "POST", "/v1/designations/" + des + "/revoke", map[string]any{"note": "n"}, http.StatusForbidden},
		{"developer revokes", dev, "POST", "/v1/designations/" + des + "/revoke", map[string]any{"note": "n"}, http.StatusNotFound},
		{"developer lists designations", dev, "GET", "/v1/designations", nil, http.StatusForbidden},
		{"consumer lists designations", operator, "GET", "/v1/designations", nil, http.StatusForbidden},
		{"agency lists designations", cisa, "GET", "/v1/designations", nil, http.StatusOK},
		{"owner reads coverage", dev, "GET", "/v1/submissions/" + private + "/coverage", nil, http.StatusOK},
		{"owner re-evaluates", dev, "POST", "/v1/submissions/" + private + "/coverage", nil, http.StatusOK},
		{"clearinghouse reads coverage", b.admin, "GET", "/v1/submissions/" + private + "/coverage", nil, http.StatusOK},
		{"rival reads coverage", rival, "GET", "/v1/submissions/" + private + "/coverage", nil, http.StatusNotFound},
		{"rival re-evaluates", rival, "POST", "/v1/submissions/" + private + "/coverage", nil, http.StatusNotFound},
		{"consumer reads coverage", operator, "GET", "/v1/submissions/" + private + "/coverage", nil, http.StatusNotFound},
		{"consumer reads shared coverage", operator, "GET", "/v1/submissions/" + sharedSub + "/coverage", nil, http.StatusNotFound},
		{"consumer re-evaluates", operator, "POST", "/v1/submissions/" + sharedSub + "/coverage", nil, http.StatusNotFound},
		{"agency reads unshared coverage", nsa, "GET", "/v1/submissions/" + private + "/coverage", nil, http.StatusNotFound},
		{"agency reads shared coverage", nsa, "GET", "/v1/submissions/" + sharedSub + "/coverage", nil, http.StatusOK},
		{"consumer lists policies", operator, "GET", "/v1/policies", nil, http.StatusOK},
		{"anonymous lists policies", "", "GET", "/v1/policies", nil, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.do(c.token, c.method, c.path, c.body)
			if r.status != c.status {
				t.Errorf("%s %s → %d, want %d: %s", c.method, c.path, r.status, c.status, r.body)
			}
		})
	}
	// The refusals above changed nothing.
	var page struct {
		Items []struct {
			ID        string `json:"id"`
			RevokedAt string `json:"revoked_at"`
		} `json:"items"`
	}
	b.do(nsa, "GET", "/v1/designations?authority_org_id="+nsaOrg, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != des || page.Items[0].RevokedAt != "" {
		t.Errorf("NSA's designations after refused revocations: %+v", page.Items)
	}
}

func TestDesignationBadInput(t *testing.T) {
	b := setup(t)
	_, nsa := b.party("NSA", "agency", "analyst")
	_, cisa := b.party("CISA", "agency", "analyst")
	agencyOrg, _ := b.party("Other agency", "agency", "viewer")
	ok := map[string]any{"model": "example-chat", "reference": "notice", "date": "2026-11-28"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	for _, c := range []struct {
		name   string
		body   any
		detail string
	}{
		{"no reference", with("reference", ""), "reference"},
		{"no model", with("model", ""), "model"},
		{"a date that is not one", with("date", "28/11/2026"), "date"},
		{"an unknown kind", with("designation", "licensed"), "designation"},
		{"an unknown field", with("approved", true), `unknown field "approved"`},
		{"a developer that does not exist", with("developer_org_id", "org_aaaaaaaaaaaaaaaa"), "no such organization"},
		{"a developer that is an agency", with("developer_org_id", agencyOrg), "developer organizations"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b.problem(b.do(nsa, "POST", "/v1/designations", c.body), http.StatusUnprocessableEntity, c.detail)
		})
	}
	des := b.designate(nsa, ok)
	b.problem(b.do(nsa, "POST", "/v1/designations/"+des+"/revoke", map[string]any{"note": " "}), http.StatusUnprocessableEntity, "why")
	b.problem(b.do(nsa, "POST", "/v1/designations/des_aaaaaaaaaaaaaaaa/revoke", map[string]any{"note": "n"}), http.StatusNotFound, "not found")
	b.problem(b.do(nsa, "POST", "/v1/designations/sub_aaaaaaaaaaaaaaaa/revoke", map[string]any{"note": "n"}), http.StatusNotFound, "not an ID")
	b.problem(b.do(cisa, "GET", "/v1/designations?include_revoked=maybe", nil), http.StatusUnprocessableEntity, "include_revoked")
}

func TestListPolicies(t *testing.T) {
	b := setup(t)
	_, operator := b.party("Grid Co", "operator", "viewer")
	r := b.do(operator, "GET", "/v1/policies", nil)
	b.want(r, http.StatusOK)
	var page struct {
		Items []struct {
			ID              string `json:"id"`
			Version         string `json:"version"`
			InEffect        bool   `json:"in_effect"`
			Current         bool   `json:"current"`
			DesignationOnly bool   `json:"designation_only"`
			Citations       []struct {
				ID string `json:"id"`
			} `json:"citations"`
		} `json:"items"`
	}
	r.decode(t, &page)
	got := map[string]bool{}
	for _, p := range page.Items {
		got[p.ID] = p.InEffect
		if !p.Current || len(p.Citations) == 0 || p.Version == "" {
			t.Errorf("policy %+v: want the current version, with citations", p)
		}
		if p.ID == "clearinghouse" && !p.DesignationOnly {
			t.Error("the clearinghouse policy is not designation-only")
		}
	}
	want := map[string]bool{"clearinghouse": true, "eu-ai-act-art51": true, "ca-sb53": true, "eo-14110": false}
	for id, in := range want {
		if v, ok := got[id]; !ok || v != in {
			t.Errorf("policy %s: listed %v, in effect %v; want in effect %v", id, ok, v, in)
		}
	}
	if len(page.Items) == 0 || page.Items[0].ID != "clearinghouse" {
		t.Errorf("the clearinghouse's own policy is not first: %+v", page.Items)
	}
}
