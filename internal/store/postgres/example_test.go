package postgres_test

import (
	"context"
	"log"

	"github.com/aicc-dev/aicc/internal/store/postgres"
)

// Open connects, creates the schema when missing and migrates it. The pool
// can then be shared with River.
func ExampleOpen() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, "postgres://aicc@127.0.0.1:5432/aicc?sslmode=disable",
		postgres.Options{Schema: "aicc"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	scans, err := db.ListScans(ctx, 10)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d scans; pool of %d connections", len(scans), db.Pool().Config().MaxConns)
}
