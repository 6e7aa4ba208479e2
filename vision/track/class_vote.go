package track

import "slices"

// classVote keeps a track's most recent detections' classes and scores and decides the
// track's class and score from them: the class is the most frequent one among the recent
// detections (ties go to the class seen last) and the score is the median of that class's
// recent scores. A single mislabelled or overconfident detection therefore changes neither.
//
// Unclassified detections (class "", such as motion boxes) do not vote: a track seen by the
// motion detector every frame and by the people detector now and then is a person. They
// keep a ring of their own, whose median score is the track's score while no classified
// detection has been seen.
type classVote struct {
	classified, unclassified ring
	scratch                  []float64
}

// ring is the last few detections' classes and scores.
type ring struct {
	classes []string
	scores  []float64
	next    int // where the next detection goes once the ring is full
}

func newClassVote(size int) classVote {
	return classVote{classified: newRing(size), unclassified: newRing(size)}
}

func newRing(size int) ring {
	return ring{classes: make([]string, 0, size), scores: make([]float64, 0, size)}
}

// add records a detection.
func (v *classVote) add(class string, score float64) {
	if class == "" {
		v.unclassified.add(class, score)
		return
	}
	v.classified.add(class, score)
}

// add records a detection, forgetting the oldest beyond the ring's capacity.
func (r *ring) add(class string, score float64) {
	if len(r.classes) < cap(r.classes) {
		r.classes = append(r.classes, class)
		r.scores = append(r.scores, score)
		return
	}
	r.classes[r.next], r.scores[r.next] = class, score
	r.next = (r.next + 1) % len(r.classes)
}

// last is the index of the most recent detection.
func (r *ring) last() int {
	n := len(r.classes)
	if n < cap(r.classes) {
		return n - 1
	}
	return (r.next + n - 1) % n
}

// result is the track's class and score; empty and 0 before any detection.
func (v *classVote) result() (class string, score float64) {
	r := &v.classified
	if len(r.classes) == 0 {
		r = &v.unclassified
	}
	n := len(r.classes)
	if n == 0 {
		return "", 0
	}
	// Walk from the most recent backwards so that, among equally frequent classes, the
	// one seen last wins. n ≤ 10 or so: counting by rescanning beats a map.
	bestCount := 0
	for k := range n {
		c := r.classes[(r.last()-k+n)%n]
		count := 0
		for _, o := range r.classes {
			if o == c {
				count++
			}
		}
		if count > bestCount {
			class, bestCount = c, count
		}
	}
	v.scratch = v.scratch[:0]
	for i, c := range r.classes {
		if c == class {
			v.scratch = append(v.scratch, r.scores[i])
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
