package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func testTAXII(t *testing.T, st store.Service) {
	ctx := context.Background()
	obj := func(coll, id string, modified, added time.Time) store.TAXIIObject {
		return store.TAXIIObject{Collection: coll, ID: id, Type: "vulnerability", SpecVersion: "2.1", Modified: modified, Added: added,
			JSON: fmt.Appendf(nil, `{"id":%q,"modified":%q}`, id, modified.Format(time.RFC3339Nano))}
	}
	m1, m2 := t0, t0.Add(time.Hour)
	var objs []store.TAXIIObject
	for i := range 5 {
		objs = append(objs, obj("public", fmt.Sprintf("vulnerability--%02d", i), m1, t0.Add(time.Duration(i)*time.Second)))
	}
	objs = append(objs, obj("kind-operator", "vulnerability--00", m1, t0))
	// A second version of object 01, added later; and a note.
	objs = append(objs, obj("public", "vulnerability--01", m2, t0.Add(time.Minute)))
	note := obj("public", "note--01", m2, t0.Add(time.Minute))
	note.Type = "note"
	objs = append(objs, note)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.PutTAXIIObjects(ctx, objs) })
	// Putting a version again changes nothing.
	dup := objs[0]
	dup.JSON = []byte(`{"changed":true}`)
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.PutTAXIIObjects(ctx, []store.TAXIIObject{dup})
	})

	if cs, err := st.TAXIICollections(ctx); err != nil || !reflect.DeepEqual(cs, []string{"kind-operator", "public"}) {
		t.Errorf("TAXIICollections = %v, %v", cs, err)
	}
	ids := func(q store.TAXIIQuery) []string {
		t.Helper()
		os, err := st.TAXIIObjects(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range os {
			out = append(out, fmt.Sprintf("%s@%d", o.ID, o.Modified.Sub(t0)/time.Hour))
		}
		return out
	}
	all := ids(store.TAXIIQuery{Collection: "public"})
	want := []string{"vulnerability--00@0", "vulnerability--02@0", "vulnerability--03@0", "vulnerability--04@0", "note--01@1", "vulnerability--01@1"}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("last versions: %v, want %v", all, want)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", AllVersions: true}); len(got) != 7 {
		t.Errorf("all versions: %v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", FirstVersion: true, IDs: []string{"vulnerability--01"}}); !reflect.DeepEqual(got, []string{"vulnerability--01@0"}) {
		t.Errorf("first version of 01: %v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", VersionsAt: []time.Time{m2}}); !reflect.DeepEqual(got, []string{"note--01@1", "vulnerability--01@1"}) {
		t.Errorf("versions at m2: %v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", Types: []string{"note"}}); !reflect.DeepEqual(got, []string{"note--01@1"}) {
		t.Errorf("type note: %v", got)
	}
	// Keyset pages of two.
	var paged []string
	q := store.TAXIIQuery{Collection: "public", Limit: 2}
	for range 10 {
		os, err := st.TAXIIObjects(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			paged = append(paged, fmt.Sprintf("%s@%d", o.ID, o.Modified.Sub(t0)/time.Hour))
		}
		if len(os) < 2 {
			break
		}
		q.AfterAdded, q.AfterID, q.AfterModified = os[len(os)-1].Added, os[len(os)-1].ID, os[len(os)-1].Modified
	}
	if !reflect.DeepEqual(paged, want) {
		t.Errorf("paged: %v, want %v", paged, want)
	}
	got, _ := st.TAXIIObjects(ctx, store.TAXIIQuery{Collection: "public", IDs: []string{"vulnerability--00"}})
	if len(got) != 1 || string(got[0].JSON) != string(objs[0].JSON) || !got[0].Added.Equal(t0) {
		t.Errorf("object 00: %+v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "kind-operator"}); len(got) != 1 {
		t.Errorf("kind-operator: %v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", FirstVersion: true, LastVersion: true, IDs: []string{"vulnerability--01"}}); len(got) != 2 {
		t.Errorf("first and last versions of 01: %v", got)
	}
	if got := ids(store.TAXIIQuery{Collection: "public", AddedAfter: t0.Add(3 * time.Second)}); !reflect.DeepEqual(got, []string{"vulnerability--04@0", "note--01@1", "vulnerability--01@1"}) {
		t.Errorf("added after t0+3s: %v", got)
	}
	err := st.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return tx.PutTAXIIObjects(ctx, []store.TAXIIObject{{Collection: "public", ID: "x"}})
	})
	mustKind(t, err, aicc.KindInvalid)
}
