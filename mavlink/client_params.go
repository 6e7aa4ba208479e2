package mavlink

import (
	"context"

	"github.com/vigil-gcs/vigil/gcs"
)

// PullParams reads every parameter of a vehicle, in the vehicle's index order. It returns
// the whole list or an error (a PartialTransferError says how many were missing), never a
// list with holes. progress, if not nil, is called with the parameters received so far
// from the exchange's goroutine and must not block.
func (c *Client) PullParams(ctx context.Context, sysID uint8, progress func(done, total int)) ([]gcs.Param, error) {
	to, err := c.target(sysID)
	if err != nil {
		return nil, err
	}
	l := newParamList(to, c.self(), progress)
	if err := c.runExchange(ctx, sysID, l); err != nil {
		return nil, err
	}
	return l.result(), nil
}

// ReadParam reads one parameter by name.
func (c *Client) ReadParam(ctx context.Context, sysID uint8, name string) (gcs.Param, error) {
	if err := checkParamName(name); err != nil {
		return gcs.Param{}, err
	}
	to, err := c.target(sysID)
	if err != nil {
		return gcs.Param{}, err
	}
	r := newParamRead(to, c.self(), name)
	if err := c.runExchange(ctx, sysID, r); err != nil {
		return gcs.Param{}, err
	}
	return r.result(), nil
}

// SetParam writes one parameter and returns it as the vehicle now holds it. It succeeds only
// when the vehicle echoes the new value; a vehicle that keeps another value (out of range,
// read-only) gives a ParamRejectedError. The parameter is read first: PARAM_SET must carry
// its type, and the read proves the name exists before anything is written.
func (c *Client) SetParam(ctx context.Context, sysID uint8, name string, value float64) (gcs.Param, error) {
	cur, err := c.ReadParam(ctx, sysID, name)
	if err != nil {
		return gcs.Param{}, err
	}
	if err := checkParamValue(name, value, cur.Type); err != nil {
		return gcs.Param{}, err
	}
	to, err := c.target(sysID)
	if err != nil {
		return gcs.Param{}, err
	}
	s := newParamSet(to, c.self(), name, value, cur.Type)
	if err := c.runExchange(ctx, sysID, s); err != nil {
		return gcs.Param{}, err
	}
	return s.result(), nil
}
