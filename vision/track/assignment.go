package track

import "math"

// assigner solves the linear assignment problem: given an n×m cost matrix, pick at most one
// column per row and one row per column, as many pairs as min(n, m), with the smallest total
// cost. It is the Hungarian method in the shortest-augmenting-path form of Jonker and
// Volgenant (as in e-maxx's "Hungarian algorithm", O(n²m) for n ≤ m): each row is added in
// turn and a Dijkstra-like search over reduced costs, kept non-negative by the dual
// potentials u and v, finds the cheapest way to re-seat the rows already placed.
//
// Its buffers are reused between calls, so the tracker allocates nothing per frame here.
type assigner struct {
	u, v, minv []float64
	p, way     []int
	used       []bool
	t          []float64 // the transposed matrix, when there are more rows than columns
}

// solve returns, for each row, its column or -1. cost is row-major, rows×cols, and must be
// finite (the tracker gives gated pairs a large finite cost and drops them afterwards).
// rowCol is reused when it has the capacity.
func (a *assigner) solve(cost []float64, rows, cols int, rowCol []int) []int {
	rowCol = grow(rowCol, rows)
	for i := range rowCol {
		rowCol[i] = -1
	}
	if rows == 0 || cols == 0 {
		return rowCol
	}
	if rows <= cols {
		a.run(cost, rows, cols, func(r, c int) { rowCol[r] = c })
		return rowCol
	}
	// More rows than columns: solve the transpose, whose rows are our columns.
	a.t = grow(a.t, rows*cols)
	for r := range rows {
		for c := range cols {
			a.t[c*rows+r] = cost[r*cols+c]
		}
	}
	a.run(a.t, cols, rows, func(c, r int) { rowCol[r] = c })
	return rowCol
}

// run solves an n×m problem with n ≤ m and reports each row's column through pair.
// Indices inside are 1-based with column 0 as the search's virtual start, as in the
// classic formulation.
func (a *assigner) run(cost []float64, n, m int, pair func(row, col int)) {
	a.u = zeroed(a.u, n+1)
	a.v = zeroed(a.v, m+1)
	a.p = grow(a.p, m+1)
	a.way = grow(a.way, m+1)
	a.minv = grow(a.minv, m+1)
	a.used = grow(a.used, m+1)
	u, v, p, way, minv, used := a.u, a.v, a.p, a.way, a.minv, a.used
	for j := range p {
		p[j] = 0
	}
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = math.Inf(1)
			used[j] = false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			delta, j1 := math.Inf(1), 0
			row := cost[(i0-1)*m:]
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				cur := row[j-1] - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			pair(p[j]-1, j-1)
		}
	}
}

// grow returns s resliced to n, reallocated only when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func zeroed(s []float64, n int) []float64 {
	s = grow(s, n)
	for i := range s {
		s[i] = 0
	}
	return s
}
