package gcs

import (
	"fmt"
	"math"
)

// Sigmas are the one-standard-deviation errors of what a geotag is computed from. A zero
// field means that input is exact.
type Sigmas struct {
	// AttitudeDeg is the error of the vehicle's attitude estimate, applied as tilts about
	// north and east and a heading error about down. It applies to an earth-frame gimbal
	// too, whose absolute angles come from the same kind of estimate.
	AttitudeDeg float64
	// GimbalDeg is the error of the gimbal's reported pitch and yaw (encoders, mounting).
	GimbalDeg float64
	// AltitudeM is the error of the camera's height above the ground, terrain model
	// included.
	AltitudeM float64
	// TimingS is the error of the frame's capture time against the pose's: the vehicle
	// moves speed × TimingS along its velocity in that time.
	TimingS float64
}

// DefaultSigmas are typical errors for a small ISR drone with a consumer gimbal: 1° of
// attitude, 1° of gimbal, 2 m of height above ground and 50 ms of frame timing.
func DefaultSigmas() Sigmas {
	return Sigmas{AttitudeDeg: 1, GimbalDeg: 1, AltitudeM: 2, TimingS: 0.05}
}

// Ellipse is a one-sigma error ellipse on the ground.
type Ellipse struct {
	SemiMajorM, SemiMinorM float64
	// OrientationDeg is the direction of the semi-major axis, in degrees clockwise from
	// north, in [0, 180).
	OrientationDeg float64
	// Weak marks a sighting not to be trusted for its position: far oblique (more than 60°
	// off nadir, where the error grows as 1/cos² and the terrain model's errors dominate),
	// a semi-major axis over 50 m, or an input error that would put the ray above the
	// horizon or out of range.
	Weak bool
}

const (
	weakOffNadirDeg = 60
	weakSemiMajorM  = 50
)

// GeotagError returns the error ellipse of Geotag(p, g, cam, u, v, ground); see
// Geotagger.GeotagError.
func GeotagError(p Pose, g GimbalAttitude, cam Camera, u, v float64, ground Ground, s Sigmas) (Ellipse, error) {
	return Geotagger{}.GeotagError(p, g, cam, u, v, ground, s)
}

// GeotagError returns the one-sigma error ellipse of Geotag(p, g, cam, u, v, ground) given
// the errors s of its inputs. Each error is propagated by geotagging again with the input
// moved by ±sigma (central differences: no derivatives to get wrong, and terrain is
// included), and the independent displacements are summed into a north/east covariance.
// Straight down, 1° of attitude error at 100 m gives 1.75 m; looking 45° off nadir it gives
// 3.5 m along the line of sight (height · δ / cos²), as REFERENCE states.
//
// It returns Geotag's error when the point itself cannot be geotagged. When one side of a
// perturbation fails (the ray would leave the ground), the other side is used and the
// ellipse is marked Weak; when both fail, so does GeotagError.
func (gt Geotagger) GeotagError(p Pose, g GimbalAttitude, cam Camera, u, v float64, ground Ground, s Sigmas) (Ellipse, error) {
	if s.AttitudeDeg < 0 || s.GimbalDeg < 0 || s.AltitudeM < 0 || s.TimingS < 0 {
		return Ellipse{}, fmt.Errorf("sigmas must not be negative, got %+v", s)
	}
	in, err := cam.intrinsics()
	if err != nil {
		return Ellipse{}, err
	}
	rayCam := in.ray(u, v)
	nominalRot := cameraToNED(p.Attitude, g)
	nominal, err := gt.intersect(p.Position, nominalRot.apply(rayCam), ground)
	if err != nil {
		return Ellipse{}, err
	}

	// A perturbation returns the camera position and orientation with one input moved by
	// sign·sigma.
	type perturbation struct {
		name  string
		sigma float64
		apply func(sign float64) (Position, rot3)
	}
	att := s.AttitudeDeg * math.Pi / 180
	gim := s.GimbalDeg * math.Pi / 180
	tilt := func(axis int) func(float64) (Position, rot3) {
		return func(sign float64) (Position, rot3) {
			return p.Position, rotAbout(axis, sign*att).mul(nominalRot)
		}
	}
	perturbations := []perturbation{
		{"attitude about north", att, tilt(0)},
		{"attitude about east", att, tilt(1)},
		{"heading", att, tilt(2)},
		{"gimbal pitch", gim, func(sign float64) (Position, rot3) {
			gp := g
			gp.PitchRad += sign * gim
			return p.Position, cameraToNED(p.Attitude, gp)
		}},
		{"gimbal yaw", gim, func(sign float64) (Position, rot3) {
			gp := g
			gp.YawRad += sign * gim
			return p.Position, cameraToNED(p.Attitude, gp)
		}},
		{"altitude", s.AltitudeM, func(sign float64) (Position, rot3) {
			pos := p.Position
			pos.AltMSLM += sign * s.AltitudeM
			return pos, nominalRot
		}},
		{"timing", s.TimingS, func(sign float64) (Position, rot3) {
			dt := sign * s.TimingS
			vel := p.Velocity
			pos := p.Position
			pos.Point = OffsetNE(pos.Point, vel.NorthMps*dt, vel.EastMps*dt)
			pos.AltMSLM -= vel.DownMps * dt
			return pos, nominalRot
		}},
	}

	var cov [3]float64 // nn, ne, ee
	weak := nominal.OffNadirDeg > weakOffNadirDeg
	for _, pt := range perturbations {
		if pt.sigma == 0 {
			continue
		}
		var dn, de [2]float64
		var ok [2]bool
		for i, sign := range [2]float64{1, -1} {
			pos, rot := pt.apply(sign)
			gp, err := gt.intersect(pos, rot.apply(rayCam), ground)
			if err != nil {
				continue
			}
			dn[i], de[i] = NorthEastM(nominal.Point, gp.Point)
			ok[i] = true
		}
		var jn, je float64 // displacement for one sigma
		switch {
		case ok[0] && ok[1]:
			jn, je = (dn[0]-dn[1])/2, (de[0]-de[1])/2
		case ok[0]:
			jn, je, weak = dn[0], de[0], true
		case ok[1]:
			jn, je, weak = -dn[1], -de[1], true
		default:
			return Ellipse{}, fmt.Errorf("%w: moving the %s by ±1 sigma takes the ray off the ground", ErrOutOfRange, pt.name)
		}
		cov[0] += jn * jn
		cov[1] += jn * je
		cov[2] += je * je
	}

	e := ellipseFromCov(cov[0], cov[1], cov[2])
	e.Weak = weak || e.SemiMajorM > weakSemiMajorM
	return e, nil
}

// ellipseFromCov turns a north/east covariance [[nn, ne], [ne, ee]] into its one-sigma
// ellipse, from the eigenvalues of the symmetric matrix.
func ellipseFromCov(nn, ne, ee float64) Ellipse {
	mean := (nn + ee) / 2
	r := math.Hypot((nn-ee)/2, ne)
	major, minor := mean+r, max(mean-r, 0)
	deg := 0.5 * math.Atan2(2*ne, nn-ee) * 180 / math.Pi // from north towards east
	deg = math.Mod(deg+180, 180)
	return Ellipse{SemiMajorM: math.Sqrt(major), SemiMinorM: math.Sqrt(minor), OrientationDeg: deg}
}
