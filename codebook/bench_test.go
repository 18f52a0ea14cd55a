package codebook

import (
	"testing"
)

// BenchmarkTag measures tagging throughput over the seed's statements
// (b.SetBytes = their total text), the hot path of a re-tag.
func BenchmarkTag(b *testing.B) {
	sts := seedTurns(b, seedPath)
	cb := Default()
	n := 0
	for _, st := range sts {
		n += len(st.Text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, st := range sts {
			_ = cb.Tag(st)
		}
	}
}
