package audit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/audit"
)

func Example() {
	// A store appends in one transaction: read the head, chain, insert.
	var log []audit.Entry
	var head *audit.Entry
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, action := range []string{"submission.create", "evidence.read", "advisory.export"} {
		detail, _ := audit.DetailOf(map[string]any{"n": i})
		e := audit.Next(head, audit.Entry{Time: at, ActorUserID: "usr_1", Action: action, ObjectKind: "submission", ObjectID: "sub_1", Detail: detail})
		log = append(log, e)
		head = &log[len(log)-1]
	}

	r, _ := audit.Verify(context.Background(), audit.Entries(log), nil, audit.Options{})
	fmt.Println(r.OK(), r.Entries)

	log[1].Action = "evidence.delete" // someone edits the database
	r, _ = audit.Verify(context.Background(), audit.Entries(log), nil, audit.Options{})
	fmt.Println(r.Problem.Seq, r.Problem.Kind)

	// Removing the last entry leaves a valid chain; a checkpoint shows it.
	checkpoint := audit.Checkpoint{Seq: 3, Hash: log[2].Hash}
	r, _ = audit.Verify(context.Background(), audit.Entries(log[:1]), nil, audit.Options{Checkpoints: []audit.Checkpoint{checkpoint}})
	fmt.Println(r.Problem)
	// Output:
	// true 3
	// 2 edited
	// entry 2 truncated: the log ends at entry 1, but checkpoint 3:83df9c088b58c15c2f1651965315e03e1ea4400ab39ebf7c1051e8ff4ae8192c shows it reached entry 3: entries 2 to 3 were removed from its end
}

func ExampleCanonicalDetail() {
	d, _ := audit.CanonicalDetail([]byte(`{ "to": "scanning", "from": "triaged" }`))
	fmt.Println(string(d))
	// Output: {"from":"triaged","to":"scanning"}
}
