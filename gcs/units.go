package gcs

import (
	"fmt"
	"math"
)

const (
	feetPerM    = 1 / 0.3048
	milesPerM   = 1 / 1609.344
	mphPerMps   = 3600 / 1609.344
	imperialMiM = 0.1 * 1609.344 // from a tenth of a mile on, distances are in miles
)

// Altitude formats a height for the operator: "120 m" or, imperial, "394 ft".
func (u Units) Altitude(m float64) string {
	if u == UnitsImperial {
		return fmt.Sprintf("%.0f ft", rounded(m*feetPerM, 0))
	}
	return fmt.Sprintf("%.0f m", rounded(m, 0))
}

// Distance formats a ground distance: metres up to a kilometre, then kilometres ("850 m",
// "1.25 km"); imperial, feet up to a tenth of a mile, then miles ("492 ft", "1.20 mi").
func (u Units) Distance(m float64) string {
	if u == UnitsImperial {
		if math.Abs(m) < imperialMiM {
			return fmt.Sprintf("%.0f ft", rounded(m*feetPerM, 0))
		}
		return fmt.Sprintf("%.2f mi", m*milesPerM)
	}
	if math.Abs(m) < 1000 {
		return fmt.Sprintf("%.0f m", rounded(m, 0))
	}
	return fmt.Sprintf("%.2f km", m/1000)
}

// Speed formats a speed: "12.5 m/s" or, imperial, "28.0 mph".
func (u Units) Speed(mps float64) string {
	if u == UnitsImperial {
		return fmt.Sprintf("%.1f mph", rounded(mps*mphPerMps, 1))
	}
	return fmt.Sprintf("%.1f m/s", rounded(mps, 1))
}

// rounded rounds x to the decimals it will be shown with, without a "-0".
func rounded(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	r := math.Round(x*p) / p
	if r == 0 {
		return 0
	}
	return r
}
