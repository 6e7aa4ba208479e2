package gcs

import (
	"fmt"
	"slices"
)

// Zones returns the watched zones.
func (s *Station) Zones() []Zone {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.alerter.Zones)
}

// AddZone validates a zone the operator drew, records it and starts watching it.
func (s *Station) AddZone(z Zone) (Zone, error) {
	if err := z.Validate(); err != nil {
		return Zone{}, err
	}
	if s.Record != nil {
		if err := s.Record.SaveZone(&z); err != nil {
			return Zone{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alerter.Zones = append(s.alerter.Zones, z)
	return z, nil
}

// AcknowledgeAlert records that the operator has seen alert id, in the record too.
func (s *Station) AcknowledgeAlert(id int64) (Alert, error) {
	a, err := s.alerter.Acknowledge(id, s.now())
	if err != nil {
		return Alert{}, err
	}
	if s.Record != nil {
		if err := s.Record.AcknowledgeAlert(id, a.AckTime); err != nil {
			return a, fmt.Errorf("alert %d acknowledged but not recorded: %w", id, err)
		}
	}
	return a, nil
}

// AlertingZones returns the names of the zones with an alert the operator has not
// acknowledged: the map colours them.
func (s *Station) AlertingZones() map[string]bool {
	out := map[string]bool{}
	for _, a := range s.alerter.Alerts() {
		if !a.Acknowledged() {
			out[a.ZoneName] = true
		}
	}
	return out
}

// AddIncident records an incident the operator marked (a target promoted, a point on the
// map) and returns it with its number.
func (s *Station) AddIncident(in Incident) (Incident, error) {
	if err := in.Validate(); err != nil {
		return Incident{}, err
	}
	if s.Record != nil {
		id, err := s.Record.AddIncident(in)
		if err != nil {
			return Incident{}, err
		}
		in.ID = id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ID == 0 {
		in.ID = int64(len(s.incidents) + 1)
	}
	s.incidents = append(s.incidents, in)
	return in, nil
}

// Incidents returns the incidents marked this session, oldest first.
func (s *Station) Incidents() []Incident {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.incidents)
}
