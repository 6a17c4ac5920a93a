package review

import (
	"fmt"
	"slices"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Data is a kind of data a review holds, as the retention rule names it.
type Data string

const (
	DataCredential Data = "endpoint_credential" // the encrypted credential of the endpoint
	DataEndpoint   Data = "endpoint"            // the endpoint's base URL and model name
	DataScanJobs   Data = "scan_jobs"           // queued and running scans and retests of the submission
	DataReminders  Data = "reminders"           // reminders not yet sent
	DataEvidence   Data = "evidence"            // attempt transcripts and detector evidence
	DataRecords    Data = "records"             // the submission, findings, rationales, comments, remediations, retest verdicts and scan summaries: no transcripts
	DataAuditLog   Data = "audit_log"           // the audit log's entries about the review
)

// Op is what is done to data.
type Op string

const (
	OpCancel Op = "cancel" // stop and discard (jobs, reminders)
	OpDelete Op = "delete" // delete for good
	OpKeep   Op = "keep"   // keep: not deleted by this plan
)

// PurgeStep is one thing to do with one kind of data.
type PurgeStep struct {
	Data Data      `json:"data"`
	Op   Op        `json:"op"`
	At   time.Time `json:"at,omitzero"` // when to do it; zero for keep
	// IDs, for evidence, are the attempts the step is about: those kept,
	// or those excepted from a delete.
	IDs    []string `json:"ids,omitempty"`
	Reason string   `json:"reason"`
}

// Plan is what the store layer does with a closed review's data, step by
// step, in order.
type Plan struct {
	SubmissionID string           `json:"submission_id"`
	ClosedAt     time.Time        `json:"closed_at"`
	State        aicc.ReviewState `json:"state"` // withdrawn, review_complete or released
	Steps        []PurgeStep      `json:"steps"`
}

// Due returns the steps to carry out at now: cancels and deletes whose
// time has come.
func (p Plan) Due(now time.Time) []PurgeStep {
	var out []PurgeStep
	for _, s := range p.Steps {
		if s.Op != OpKeep && !s.At.After(now) {
			out = append(out, s)
		}
	}
	return out
}

// PurgePlan is the retention rule applied to a submission withdrawn at
// withdrawnAt. held lists the attempts whose evidence a published advisory
// references.
//
// At once: the endpoint credential and the endpoint are deleted, queued
// and running scans and retests are cancelled, unsent reminders are
// cancelled, and every transcript and piece of evidence is deleted except
// the held ones. Held evidence is kept as long as the advisory that
// published it. The submission and finding records (no transcripts) are
// deleted RecordRetentionDays later. The audit log keeps its entries
// forever: the fact of the review and of its withdrawal stays.
func (r *Rules) PurgePlan(sub *aicc.Submission, withdrawnAt time.Time, held []string) (Plan, error) {
	if sub.State != aicc.ReviewWithdrawn && !sub.State.Open() {
		return Plan{}, aicc.Errorf(aicc.KindConflict, "purge plan of submission %s: the review is %s, not withdrawn; a closed review cannot be withdrawn", sub.ID, sub.State)
	}
	if withdrawnAt.IsZero() {
		return Plan{}, aicc.Errorf(aicc.KindInvalid, "purge plan of submission %s: withdrawal time required", sub.ID)
	}
	at := withdrawnAt.UTC()
	held = slices.Compact(slices.Sorted(slices.Values(held)))
	p := Plan{SubmissionID: sub.ID, ClosedAt: at, State: aicc.ReviewWithdrawn}
	p.Steps = append(p.Steps, closeSteps(at, "the submission was withdrawn")...)
	p.Steps = append(p.Steps, PurgeStep{Data: DataEndpoint, Op: OpDelete, At: at,
		Reason: "withdrawn: the address and model name of the unreleased endpoint are deleted at once"})
	ev := PurgeStep{Data: DataEvidence, Op: OpDelete, At: at, IDs: held,
		Reason: "withdrawn: transcripts and evidence of the unreleased model are deleted at once"}
	if len(held) > 0 {
		ev.Reason += ", except the attempts listed, which a published advisory references"
	}
	p.Steps = append(p.Steps, ev)
	if len(held) > 0 {
		p.Steps = append(p.Steps, PurgeStep{Data: DataEvidence, Op: OpKeep, IDs: held,
			Reason: "referenced by a published advisory: kept as long as the advisory"})
	}
	p.Steps = append(p.Steps,
		PurgeStep{Data: DataRecords, Op: OpDelete, At: at.AddDate(0, 0, r.cfg.RecordRetentionDays),
			Reason: fmt.Sprintf("withdrawn: submission and finding records are kept %d days to answer questions about the review, then deleted", r.cfg.RecordRetentionDays)},
		PurgeStep{Data: DataAuditLog, Op: OpKeep,
			Reason: "the audit log is append-only: it keeps the review and its withdrawal forever"})
	return p, nil
}

// ClosePlan is what happens when a review closes other than by withdrawal
// (review_complete or released) at closedAt: the credential is deleted and
// jobs and reminders are cancelled at once. Evidence and records stay under
// the clearinghouse's ordinary retention, which this plan does not set.
func (r *Rules) ClosePlan(sub *aicc.Submission, closedAt time.Time) (Plan, error) {
	if sub.State != aicc.ReviewComplete && sub.State != aicc.ReviewReleased {
		return Plan{}, aicc.Errorf(aicc.KindConflict, "close plan of submission %s: the review is %s, not review_complete or released", sub.ID, sub.State)
	}
	if closedAt.IsZero() {
		return Plan{}, aicc.Errorf(aicc.KindInvalid, "close plan of submission %s: closing time required", sub.ID)
	}
	at := closedAt.UTC()
	p := Plan{SubmissionID: sub.ID, ClosedAt: at, State: sub.State}
	p.Steps = append(p.Steps, closeSteps(at, "the review is "+string(sub.State))...)
	p.Steps = append(p.Steps, PurgeStep{Data: DataAuditLog, Op: OpKeep,
		Reason: "the audit log is append-only: it keeps the review forever"})
	return p, nil
}

// closeSteps are the steps every closing takes at once.
func closeSteps(at time.Time, why string) []PurgeStep {
	return []PurgeStep{
		{Data: DataCredential, Op: OpDelete, At: at, Reason: why + ": the endpoint credential is deleted at once"},
		{Data: DataScanJobs, Op: OpCancel, At: at, Reason: why + ": queued and running scans and retests stop"},
		{Data: DataReminders, Op: OpCancel, At: at, Reason: why + ": its clocks stop"},
	}
}
