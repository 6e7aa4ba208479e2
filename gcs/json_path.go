package gcs

import (
	"fmt"
	"math"
)

// jsonObj is a decoded JSON object with the path it was found at, so that a file reader can
// say exactly which element is wrong ("mission.items[3].command: want a number").
type jsonObj struct {
	m    map[string]any
	path string
}

func (o jsonObj) at(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "true or false"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (o jsonObj) has(key string) bool { _, ok := o.m[key]; return ok }

func (o jsonObj) obj(key string) (jsonObj, error) {
	v, ok := o.m[key]
	if !ok {
		return jsonObj{}, fmt.Errorf("%s: missing", o.at(key))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return jsonObj{}, fmt.Errorf("%s: want an object, got %s", o.at(key), jsonTypeName(v))
	}
	return jsonObj{m, o.at(key)}, nil
}

func (o jsonObj) arr(key string) ([]any, error) {
	v, ok := o.m[key]
	if !ok {
		return nil, fmt.Errorf("%s: missing", o.at(key))
	}
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array, got %s", o.at(key), jsonTypeName(v))
	}
	return a, nil
}

// num returns a finite number; with a default when the key is missing (def non-nil).
func (o jsonObj) num(key string, def *float64) (float64, error) {
	v, ok := o.m[key]
	if !ok {
		if def != nil {
			return *def, nil
		}
		return 0, fmt.Errorf("%s: missing", o.at(key))
	}
	f, ok := v.(float64)
	if !ok {
		return 0, fmt.Errorf("%s: want a number, got %s", o.at(key), jsonTypeName(v))
	}
	return f, nil
}

func (o jsonObj) int(key string, def *float64, lo, hi int) (int, error) {
	f, err := o.num(key, def)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, fmt.Errorf("%s: %v, want a whole number %d-%d", o.at(key), f, lo, hi)
	}
	return int(f), nil
}

func (o jsonObj) boolean(key string, def *bool) (bool, error) {
	v, ok := o.m[key]
	if !ok {
		if def != nil {
			return *def, nil
		}
		return false, fmt.Errorf("%s: missing", o.at(key))
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s: want true or false, got %s", o.at(key), jsonTypeName(v))
	}
	return b, nil
}

func (o jsonObj) str(key string) (string, error) {
	v, ok := o.m[key]
	if !ok {
		return "", fmt.Errorf("%s: missing", o.at(key))
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string, got %s", o.at(key), jsonTypeName(v))
	}
	return s, nil
}

func ptr[T any](v T) *T { return &v }

// latLon reads [lat, lon] or [lat, lon, alt] at path into a point and altitude.
func latLon(v any, path string, wantAlt bool) (orb2 [2]float64, alt float64, err error) {
	a, ok := v.([]any)
	if !ok {
		return orb2, 0, fmt.Errorf("%s: want [latitude, longitude%s], got %s", path, altSuffix(wantAlt), jsonTypeName(v))
	}
	if len(a) < 2 || len(a) > 3 || (wantAlt && len(a) != 3) {
		return orb2, 0, fmt.Errorf("%s: %d values, want [latitude, longitude%s]", path, len(a), altSuffix(wantAlt))
	}
	var f [3]float64
	for i, x := range a {
		n, ok := x.(float64)
		if !ok {
			return orb2, 0, fmt.Errorf("%s[%d]: want a number, got %s", path, i, jsonTypeName(x))
		}
		f[i] = n
	}
	if math.Abs(f[0]) > 90 || math.Abs(f[1]) > 360 {
		return orb2, 0, fmt.Errorf("%s: %v, %v is not a latitude and longitude", path, f[0], f[1])
	}
	return [2]float64{f[1], f[0]}, f[2], nil
}

func altSuffix(b bool) string {
	if b {
		return ", altitude"
	}
	return ""
}
