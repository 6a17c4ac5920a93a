package authz_test

import (
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

// TestMessages: denials say why in words the person denied understands.
func TestMessages(t *testing.T) {
	dev := principal(aicc.OrgDeveloper, aicc.RoleDeveloper)
	devViewer := principal(aicc.OrgDeveloper, aicc.RoleViewer)
	agency := principal(aicc.OrgAgency, aicc.RoleAnalyst)
	operator := principal(aicc.OrgOperator, aicc.RoleAdmin)
	chViewer := principal(aicc.OrgClearinghouse, aicc.RoleViewer)
	chAdmin := principal(aicc.OrgClearinghouse, aicc.RoleAdmin)
	tests := []struct {
		name string
		p    aicc.Principal
		a    authz.Action
		r    authz.Resource
		want string
	}{
		{"anonymous", aicc.Principal{}, authz.SubmissionList, authz.Resource{}, "AICC_TOKEN"},
		{"developer reads another's submission", dev, authz.SubmissionRead, authz.Resource{OwnerOrg: otherOrg},
			"developer organizations see only their own submissions"},
		{"developer lists another's findings", dev, authz.FindingList, authz.Resource{OwnerOrg: otherOrg},
			"developer organizations see only their own findings"},
		{"developer withdraws another's submission", dev, authz.SubmissionWithdraw, authz.Resource{OwnerOrg: otherOrg},
			"developer organizations see only their own submissions"},
		{"developer viewer reads evidence", devViewer, authz.EvidenceRead, authz.Resource{OwnerOrg: devViewer.OrgID},
			"viewers never read it"},
		{"developer viewer withdraws", devViewer, authz.SubmissionWithdraw, authz.Resource{OwnerOrg: devViewer.OrgID},
			"viewers cannot withdraw a submission"},
		{"agency reads unshared finding", agency, authz.FindingRead, authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPAmber},
			"consented to share"},
		{"agency reads shared red finding", agency, authz.FindingRead, authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPRed, Shared: true},
			"TLP:RED"},
		{"agency reads evidence", agency, authz.EvidenceRead, authz.Resource{OwnerOrg: otherOrg, Shared: true, TLP: aicc.TLPClear},
			"evidence (attempt transcripts) is read only by clearinghouse analysts"},
		{"agency reads scans", agency, authz.ScanRead, authz.Resource{OwnerOrg: otherOrg, Shared: true},
			"not scans"},
		{"operator lists submissions", operator, authz.SubmissionList, authz.Resource{},
			"operator organizations take no part in reviews"},
		{"operator reads a draft", operator, authz.AdvisoryRead, authz.Resource{TLP: aicc.TLPClear},
			"not published yet"},
		{"operator reads amber not addressed to it", operator, authz.AdvisoryRead, authz.Resource{TLP: aicc.TLPAmber, Published: true},
			"TLP:AMBER and not addressed to your organization"},
		{"clearinghouse viewer confirms", chViewer, authz.FindingConfirm, authz.Resource{OwnerOrg: otherOrg},
			"clearinghouse viewers cannot confirm findings"},
		{"clearinghouse admin designates", chAdmin, authz.DesignationCreate, authz.Resource{OwnerOrg: chAdmin.OrgID},
			"designations are made by agencies"},
		{"clearinghouse admin submits", chAdmin, authz.SubmissionCreate, authz.Resource{OwnerOrg: otherOrg},
			"only developer organizations submit"},
		{"admin disables self", chAdmin, authz.UserDisable, authz.Resource{OwnerOrg: chAdmin.OrgID, OwnerUser: chAdmin.UserID},
			"cannot disable your own user"},
		{"viewer revokes colleague's token", devViewer, authz.TokenRevoke, authz.Resource{OwnerOrg: devViewer.OrgID, OwnerUser: "u9"},
			"only your own tokens"},
		{"misfit role", principal(aicc.OrgDeveloper, aicc.RoleAnalyst), authz.SubmissionList, authz.Resource{},
			"role analyst does not exist in developer organizations (they have admin, developer, viewer)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := authz.Check(tt.p, tt.a, tt.r)
			if err == nil {
				t.Fatal("allowed")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q does not say %q", err, tt.want)
			}
		})
	}
}
