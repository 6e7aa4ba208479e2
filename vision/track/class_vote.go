package track

import "slices"

// classVote keeps a track's most recent detections' classes and scores and decides the
// track's class and score from them: the class is the most frequent one among the recent
// detections (ties go to the class seen last) and the score is the median of that class's
// recent scores. A single mislabelled or overconfident detection therefore changes neither.
type classVote struct {
	classes []string
	scores  []float64
	next    int // where the next detection goes once the ring is full
	size    int // the ring's capacity

	scratch []float64
}

func newClassVote(size int) classVote {
	return classVote{
		classes: make([]string, 0, size),
		scores:  make([]float64, 0, size),
		size:    size,
	}
}

// add records a detection, forgetting the oldest beyond the vote's size.
func (v *classVote) add(class string, score float64) {
	if len(v.classes) < v.size {
		v.classes = append(v.classes, class)
		v.scores = append(v.scores, score)
		return
	}
	v.classes[v.next], v.scores[v.next] = class, score
	v.next = (v.next + 1) % v.size
}

// last is the index of the most recent detection.
func (v *classVote) last() int {
	if len(v.classes) < v.size {
		return len(v.classes) - 1
	}
	return (v.next + v.size - 1) % v.size
}

// ClassMotion is the class of a motion detector's boxes: something moves but nobody has
// named it. The motion detector runs on every frame and the naming detectors a few times a
// second, so counted as equals "motion" would outvote "person" on every track.
const ClassMotion = "motion"

// result is the track's class and score; empty and 0 before any detection.
func (v *classVote) result() (class string, score float64) {
	n := len(v.classes)
	if n == 0 {
		return "", 0
	}
	// Walk from the most recent backwards so that, among equally frequent classes, the
	// one seen last wins. n ≤ 10 or so: counting by rescanning beats a map.
	bestCount := 0
	named := false // a named class in the history outvotes any number of ClassMotion
	for _, c := range v.classes {
		named = named || c != ClassMotion
	}
	for k := range n {
		i := (v.last() - k + n) % n
		c := v.classes[i]
		if named && c == ClassMotion {
			continue
		}
		count := 0
		for _, o := range v.classes {
			if o == c {
				count++
			}
		}
		if count > bestCount {
			class, bestCount = c, count
		}
	}
	v.scratch = v.scratch[:0]
	for i, c := range v.classes {
		if c == class {
			v.scratch = append(v.scratch, v.scores[i])
		}
	}
	return class, median(v.scratch)
}

// median sorts s in place and returns its median (the mean of the middle two for an even
// count).
func median(s []float64) float64 {
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
