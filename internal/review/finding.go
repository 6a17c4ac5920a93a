package review

import (
	"strings"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// FindingStatuses lists every status of a finding.
var FindingStatuses = []aicc.FindingStatus{
	aicc.FindingNew, aicc.FindingConfirmed, aicc.FindingRejected, aicc.FindingDisputed,
	aicc.FindingFixed, aicc.FindingPartial, aicc.FindingNotFixed,
}

// FindingAction is something done to a finding. Analysts confirm and
// reject; developers dispute; anyone taking part comments; retests record
// verdicts. Who may do what is decided by internal/authz.
type FindingAction string

const (
	ActionConfirm           FindingAction = "confirm"             // an analyst: the weakness is real
	ActionReject            FindingAction = "reject"              // an analyst: a false positive
	ActionDispute           FindingAction = "dispute"             // the developer disputes the finding or a verdict
	ActionComment           FindingAction = "comment"             // a remark; the status does not change
	ActionRetestFixed       FindingAction = "retest_fixed"        // a retest's verdict: fixed
	ActionRetestPartlyFixed FindingAction = "retest_partly_fixed" // a retest's verdict: partly fixed
	ActionRetestNotFixed    FindingAction = "retest_not_fixed"    // a retest's verdict: not fixed
)

// FindingActions lists every action.
var FindingActions = []FindingAction{
	ActionConfirm, ActionReject, ActionDispute, ActionComment,
	ActionRetestFixed, ActionRetestPartlyFixed, ActionRetestNotFixed,
}

// MaxRationale is the longest rationale, in characters.
const MaxRationale = 10000

// FindingRule is one allowed change of a finding's status.
type FindingRule struct {
	From   aicc.FindingStatus `json:"from"`
	Action FindingAction      `json:"action"`
	To     aicc.FindingStatus `json:"to"`
}

// FindingRules lists every allowed change; pairs not listed are refused.
// Treat it as read-only.
var FindingRules = buildFindingRules()

func buildFindingRules() []FindingRule {
	const (
		fNew      = aicc.FindingNew
		confirmed = aicc.FindingConfirmed
		rejected  = aicc.FindingRejected
		disputed  = aicc.FindingDisputed
		fixed     = aicc.FindingFixed
		partly    = aicc.FindingPartial
		notFixed  = aicc.FindingNotFixed
	)
	from := func(a FindingAction, to aicc.FindingStatus, froms ...aicc.FindingStatus) []FindingRule {
		var out []FindingRule
		for _, f := range froms {
			t := to
			if t == "" {
				t = f // comment: no change
			}
			out = append(out, FindingRule{f, a, t})
		}
		return out
	}
	retestable := []aicc.FindingStatus{confirmed, disputed, fixed, partly, notFixed}
	var rules []FindingRule
	rules = append(rules, from(ActionConfirm, confirmed, fNew, rejected, disputed)...)
	rules = append(rules, from(ActionReject, rejected, fNew, confirmed, disputed)...)
	rules = append(rules, from(ActionDispute, disputed, fNew, confirmed, partly, notFixed)...)
	rules = append(rules, from(ActionComment, "", FindingStatuses...)...)
	rules = append(rules, from(ActionRetestFixed, fixed, retestable...)...)
	rules = append(rules, from(ActionRetestPartlyFixed, partly, retestable...)...)
	rules = append(rules, from(ActionRetestNotFixed, notFixed, retestable...)...)
	return rules
}

// ChangeFinding returns the status a finding in status from takes after
// action, which must carry a rationale (for a retest, the verdict's
// reason). Unknown statuses or actions and a blank or overlong rationale
// are KindInvalid; an action the status does not accept is KindConflict.
func ChangeFinding(from aicc.FindingStatus, action FindingAction, rationale string) (aicc.FindingStatus, error) {
	if !validFindingStatus(from) {
		return "", aicc.Errorf(aicc.KindInvalid, "finding status %q: unknown", from)
	}
	if !validAction(action) {
		return "", aicc.Errorf(aicc.KindInvalid, "finding action %q: unknown", action)
	}
	rationale = strings.TrimSpace(rationale)
	if rationale == "" {
		return "", aicc.Errorf(aicc.KindInvalid, "finding %s: a rationale is required: say why", action)
	}
	if n := utf8.RuneCountInString(rationale); n > MaxRationale {
		return "", aicc.Errorf(aicc.KindInvalid, "finding %s: rationale of %d characters is over the limit of %d", action, n, MaxRationale)
	}
	var allowed []string
	for _, r := range FindingRules {
		if r.From != from {
			continue
		}
		if r.Action == action {
			return r.To, nil
		}
		allowed = append(allowed, string(r.Action))
	}
	return "", aicc.Errorf(aicc.KindConflict, "finding is %s: %s is not allowed now; allowed: %s", from, action, strings.Join(allowed, ", "))
}

func validFindingStatus(s aicc.FindingStatus) bool {
	for _, v := range FindingStatuses {
		if s == v {
			return true
		}
	}
	return false
}

func validAction(a FindingAction) bool {
	for _, v := range FindingActions {
		if a == v {
			return true
		}
	}
	return false
}
