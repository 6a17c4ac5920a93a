package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/audit"
	"github.com/aicc-dev/aicc/internal/store"
)

// TestAuditAppendsFromTwoServers appends to the audit log from many
// goroutines over two pools, as two servers on one database would, and
// checks that the chain neither forks nor has gaps.
func TestAuditAppendsFromTwoServers(t *testing.T) {
	dsn, schema := testSchema(t)
	dbs := []*DB{openSchema(t, dsn, schema), openSchema(t, dsn, schema)}
	const per = 20
	var wg sync.WaitGroup
	errs := make(chan error, 8*per)
	for g := range 8 {
		wg.Go(func() {
			db := dbs[g%2]
			for i := range per {
				err := db.Tx(context.Background(), func(ctx context.Context, tx store.ServiceTx) error {
					head, err := tx.AuditHead(ctx)
					if err != nil {
						return err
					}
					d, _ := audit.DetailOf(map[string]any{"g": g, "i": i})
					e := audit.Next(head, audit.Entry{Time: time.Now(), Action: "test.append", ObjectID: fmt.Sprint(g, "/", i), Detail: d})
					return tx.AppendAudit(ctx, &e)
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("append: %v", err)
	}
	rep, err := audit.Verify(context.Background(), audit.Read(context.Background(), dbs[0], 0), nil, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Entries != 8*per {
		t.Fatalf("audit log after concurrent appends: %s; want %d intact entries", rep, 8*per)
	}
}
