package gcs

import (
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// The edge index answers exactly as the brute-force tests over every edge.
func TestEdgeGridMatchesBruteForce(t *testing.T) {
	for _, poly := range [][]orb.Point{starPolygon(1000), lShape, uShape, starPolygon(12)} {
		ring := localFrame{poly[0]}.ringXY(poly)
		g := newEdgeGrid(ring)
		b := orb.MultiPoint(ring).Bound()
		r := rand.New(rand.NewSource(1))
		pt := func() orb.Point {
			return orb.Point{b.Min[0] - 20 + r.Float64()*(b.Max[0]-b.Min[0]+40), b.Min[1] - 20 + r.Float64()*(b.Max[1]-b.Min[1]+40)}
		}
		for range 3000 {
			p, q := pt(), pt()
			require.Equal(t, ringContainsXY(ring, p), g.contains(p), "contains %v", p)
			if r.Intn(4) == 0 { // short segments, and ones starting on a vertex
				q = orb.Point{p[0] + r.Float64()*10, p[1] + r.Float64()*10}
				p = ring[r.Intn(len(ring))]
			}
			require.Equal(t, segmentInsideXY(ring, p, q, 0.05), g.segmentInside(p, q, 0.05), "segment %v-%v", p, q)
		}
	}
}
