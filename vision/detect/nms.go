package detect

import (
	"image"
	"sort"
)

// IoU is the intersection over union of two boxes (0 when they do not touch).
func IoU(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	i := float64(in.Dx() * in.Dy())
	return i / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - i)
}

// SuppressOverlaps keeps, among detections of the same class overlapping by more than
// maxIoU, only the highest-scoring one (greedy non-maximum suppression). gocv v0.31's
// NMSBoxes cannot say how many boxes it kept, so this one is ours.
func SuppressOverlaps(ds []Detection, maxIoU float64) []Detection {
	sorted := append([]Detection(nil), ds...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Score > sorted[j].Score })
	var out []Detection
next:
	for _, d := range sorted {
		for _, k := range out {
			if k.Class == d.Class && IoU(k.Box, d.Box) > maxIoU {
				continue next
			}
		}
		out = append(out, d)
	}
	return out
}
