package sitl

import (
	"math"
	"math/rand/v2"
)

// gustTau is how long a gust lasts (the correlation time of the gust process).
const gustTau = 4.0

// wind is a steady wind plus gusts of up to ±30 % per axis, drawn from a seeded generator so
// a simulated flight replays exactly.
type wind struct {
	steadyN, steadyE  float64
	maxGust           float64
	gustN, gustE      float64
	northMps, eastMps float64
	rng               *rand.Rand
}

func newWind(speedMps, fromDeg float64, seed int64) wind {
	// Wind "from" 270° blows toward the east.
	to := deg2rad(fromDeg + 180)
	w := wind{
		steadyN: speedMps * math.Cos(to),
		steadyE: speedMps * math.Sin(to),
		maxGust: 0.3 * math.Abs(speedMps),
		rng:     rand.New(rand.NewPCG(uint64(seed), 0x5eed)),
	}
	w.northMps, w.eastMps = w.steadyN, w.steadyE
	return w
}

// step advances the gusts as an Ornstein-Uhlenbeck process (random but smooth).
func (w *wind) step(dt float64) {
	if w.maxGust > 0 {
		sigma := 0.5 * w.maxGust * math.Sqrt(2/gustTau)
		w.gustN += -w.gustN/gustTau*dt + sigma*math.Sqrt(dt)*w.rng.NormFloat64()
		w.gustE += -w.gustE/gustTau*dt + sigma*math.Sqrt(dt)*w.rng.NormFloat64()
		w.gustN = clamp(w.gustN, -w.maxGust, w.maxGust)
		w.gustE = clamp(w.gustE, -w.maxGust, w.maxGust)
	}
	w.northMps, w.eastMps = w.steadyN+w.gustN, w.steadyE+w.gustE
}
