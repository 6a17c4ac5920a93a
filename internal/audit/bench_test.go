package audit

import (
	"testing"
)

func BenchmarkNext(b *testing.B) {
	for _, keyed := range []bool{false, true} {
		b.Run(map[bool]string{false: "unkeyed", true: "keyed"}[keyed], func(b *testing.B) {
			c := testChain(b, keyed)
			prev := c.Next(nil, draft(0))
			e := draft(1)
			for b.Loop() {
				prev = c.Next(&prev, e)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	const size = 10_000
	for _, keyed := range []bool{false, true} {
		b.Run(map[bool]string{false: "unkeyed", true: "keyed"}[keyed], func(b *testing.B) {
			c := testChain(b, keyed)
			log := build(b, c, size)
			for b.Loop() {
				r, err := Verify(b.Context(), Entries(log), keyOf(c), Options{})
				if err != nil || !r.OK() {
					b.Fatal(r, err)
				}
			}
			b.ReportMetric(float64(b.N)*size/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
