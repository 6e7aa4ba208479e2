package track

import (
	"testing"

	"github.com/stretchr/testify/require"
)

type classScore struct {
	class string
	score float64
}

var casesClassVote = []struct {
	name      string
	size      int
	dets      []classScore
	wantClass string
	wantScore float64
}{
	{"none", 10, nil, "", 0},
	{"one", 10, []classScore{{"car", 0.7}}, "car", 0.7},
	// car ×4: .9 .8 .7 .85 → median (.8 + .85)/2; the truck's .95 counts for nothing.
	{"majority class, median of its scores", 10,
		[]classScore{{"car", .9}, {"car", .8}, {"truck", .95}, {"car", .7}, {"car", .85}}, "car", .825},
	{"one overconfident detection does not lift the score", 10,
		[]classScore{{"person", .6}, {"person", .62}, {"person", .99}, {"person", .61}, {"person", .63}}, "person", .62},
	{"a tie goes to the class seen last", 10,
		[]classScore{{"car", .5}, {"truck", .6}, {"truck", .4}, {"car", .9}}, "car", .7},
	// Ten recent of twelve: truck ×2 then car ×6 then truck ×4 → 4 trucks and 6 cars.
	{"only the recent detections vote", 10, append(append(
		repeatDet("truck", .9, 2), repeatDet("car", .5, 6)...), repeatDet("truck", .9, 4)...), "car", .5},
	{"a small window follows the latest", 3, append(
		repeatDet("car", .5, 6), repeatDet("person", .8, 2)...), "person", .8},
	// Motion boxes every frame, the people detector now and then.
	{"unclassified detections do not vote", 10, append(append(
		repeatDet("", .3, 9), classScore{"person", .7}), repeatDet("", .3, 9)...), "person", .7},
	{"only unclassified: no class, their median score", 10,
		[]classScore{{"", .2}, {"", .4}, {"", .9}}, "", .4},
}

func repeatDet(class string, score float64, n int) []classScore {
	out := make([]classScore, n)
	for i := range out {
		out[i] = classScore{class, score}
	}
	return out
}

func TestClassVote(t *testing.T) {
	for _, c := range casesClassVote {
		t.Run(c.name, func(t *testing.T) {
			v := newClassVote(c.size)
			for _, d := range c.dets {
				v.add(d.class, d.score)
			}
			class, score := v.result()
			require.Equal(t, c.wantClass, class)
			require.InDelta(t, c.wantScore, score, 1e-12)
		})
	}
}
