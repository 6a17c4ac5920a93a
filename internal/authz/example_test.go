package authz_test

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

func ExampleCheck() {
	dev := aicc.Principal{UserID: "u-7", OrgID: "org-example-ai", OrgKind: aicc.OrgDeveloper, Role: aicc.RoleDeveloper}

	own := authz.Resource{Kind: authz.KindSubmission, OwnerOrg: "org-example-ai"}
	fmt.Println(authz.Check(dev, authz.SubmissionWithdraw, own))

	theirs := authz.Resource{Kind: authz.KindSubmission, OwnerOrg: "org-other-lab"}
	err := authz.Check(dev, authz.SubmissionRead, theirs)
	fmt.Println(aicc.KindOf(err), err)

	fmt.Println(aicc.KindOf(authz.Check(aicc.Principal{}, authz.SubmissionList, authz.Resource{})))
	// Output:
	// <nil>
	// forbidden developer organizations see only their own submissions
	// unauthorized
}

func ExampleScope() {
	agency := aicc.Principal{UserID: "u-3", OrgID: "org-agency", OrgKind: aicc.OrgAgency, Role: aicc.RoleAnalyst}
	s := authz.Scope(agency, authz.KindFinding)
	fmt.Println(s.Mode, s.NotRed)
	fmt.Println(s.Includes(authz.Resource{Kind: authz.KindFinding, Shared: true, TLP: aicc.TLPAmber}))
	fmt.Println(s.Includes(authz.Resource{Kind: authz.KindFinding, Shared: true, TLP: aicc.TLPRed}))
	// Output:
	// shared true
	// true
	// false
}
