package sitl

import "math"

// airDensityKgM3 is sea-level air (ISA); at a few hundred metres it is within 5 %.
const airDensityKgM3 = 1.225

// gravityMps2 turns kilograms of tension into newtons.
const gravityMps2 = 9.80665

// blowDown is the aerostat's equilibrium on its tether in a steady wind: a simple blow-down
// model with a straight tether, good to a few percent for the short, heavy-lift tethers of
// camp-watch aerostats, where the sag of the line is small next to its length.
//
// Forces at the balloon: free lift L up (buoyancy less envelope and payload weight), drag
// D = ½·ρ·CdA·V² downwind, and the tether's pull. A tether of weight w per metre and
// airborne length ℓ carries its own weight w·ℓ, so its angle from vertical grows from
// the top to the ground; a straight line at the mean angle stands in for the curve:
//
//	tan θ   = D / (L − w·ℓ/2)        lean from vertical
//	h       = ℓ·cos θ                height above the winch
//	x       = ℓ·sin θ                downwind offset
//	T       = √(D² + (L − w·ℓ)²)     tension at the winch (vertical part less the line's weight)
//
// As the wind rises the balloon leans downwind and drops: at V = 0 it stands straight up
// (h = ℓ); with L = 600 N, w = 0.5 N/m, CdA = 4 m², ℓ = 150 m and V = 10 m/s, D = 245 N,
// tan θ = 245/562.5, θ = 23.5°, h = 137.5 m, x = 59.9 m and T = 579.4 N (59.1 kg).
//
// When the lift cannot carry the whole line out (L < w·ℓ, a balloon losing helium), it
// lifts only ℓa = L/w of it and the rest lies on the ground, straight downwind of the winch;
// ℓa replaces ℓ above and the ground run ℓ − ℓa adds to x. Without lift the balloon lies
// on the ground at the end of its line. With no line out the balloon sits on its mooring,
// which holds all its lift and drag: T = √(D² + L²).
type blowDown struct {
	AngleRad  float64 // lean of the airborne line from vertical
	AirborneM float64 // line in the air
	GroundM   float64 // line lying on the ground
	HeightM   float64
	DownwindM float64
	TensionN  float64
}

// dragN is the aerostat's drag in a wind of speed v.
func dragN(cdAM2, v float64) float64 { return 0.5 * airDensityKgM3 * cdAM2 * v * v }

// equilibrium solves the blow-down model for line lineM, free lift liftN, tether weight
// wNPerM and drag dragN.
func equilibrium(lineM, liftN, wNPerM, drag float64) blowDown {
	lineM = math.Max(lineM, 0)
	air := lineM
	if wNPerM > 0 {
		air = math.Min(lineM, math.Max(liftN, 0)/wNPerM)
	}
	b := blowDown{AirborneM: air, GroundM: lineM - air}
	if liftN <= 0 {
		b.AngleRad = math.Pi / 2
		b.DownwindM = lineM
		b.TensionN = drag
		return b
	}
	b.AngleRad = math.Atan2(drag, liftN-wNPerM*air/2)
	b.HeightM = air * math.Cos(b.AngleRad)
	b.DownwindM = b.GroundM + air*math.Sin(b.AngleRad)
	b.TensionN = math.Hypot(drag, liftN-wNPerM*air)
	return b
}
