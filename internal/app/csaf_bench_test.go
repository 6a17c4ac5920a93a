package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// BenchmarkCSAFDirectory10k exports 10,000 published advisories as a
// complete CSAF provider directory, as `aicc advisory csaf-directory`
// does: read them from SQLite, render each CSAF document, hash and sign
// it, write the folders, feeds and indexes. Target (issue 5): under 20 s
// on 2 cores.
func BenchmarkCSAFDirectory10k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	const n = 10_000
	db, err := sqlite.Open(ctx, config.DBPath(dir))
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i += 1000 {
		err := db.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
			for j := i; j < i+1000; j++ {
				a := advisorytest.Example()
				a.ID = advisory.FormatID(2026, j+1)
				a.Title = fmt.Sprintf("Technique %d in example-chat", j)
				at := base.Add(time.Duration(j) * time.Minute)
				a.CreatedAt, a.UpdatedAt, a.PublishedAt, a.RevisedAt = at, at, at, at
				a.Revision, a.State = 1, advisory.StatePublished
				a.History = []advisory.Revision{{Number: 1, Date: at, Summary: "Initial public release."}}
				a.WithdrawnAt = time.Time{}
				if err := tx.CreateAdvisory(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	a, err := app.OpenForMaintenance(ctx, app.Config{DataDir: dir, PublicURL: "https://aicc.example"})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		got, err := a.Service.WriteCSAFDirectory(ctx, filepath.Join(b.TempDir(), fmt.Sprint("csaf", i)))
		if err != nil || got != n {
			b.Fatalf("WriteCSAFDirectory = %d, %v", got, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/directory")
	}
}
