// Package onnxtest builds tiny but real ONNX models for tests: Vigil ships no model
// weights, and the tests must load something OpenCV can import and run.
package onnxtest

import (
	"encoding/binary"
	"math"
)

// pb is a minimal protocol-buffers writer (the ONNX file format), enough for ModelProto.
type pb []byte

func (b pb) varint(field int, v uint64) pb {
	b = binary.AppendUvarint(b, uint64(field<<3))
	return binary.AppendUvarint(b, v)
}

func (b pb) bytes(field int, v []byte) pb {
	b = binary.AppendUvarint(b, uint64(field<<3|2))
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func (b pb) str(field int, s string) pb { return b.bytes(field, []byte(s)) }

// ONNX data types.
const (
	typeFloat = 1
	typeInt64 = 7
)

func tensorFloat(name string, dims []int64, data []float32) pb {
	var t pb
	for _, d := range dims {
		t = t.varint(1, uint64(d))
	}
	t = t.varint(2, typeFloat)
	t = t.str(8, name)
	raw := make([]byte, 4*len(data))
	for i, f := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(f))
	}
	return t.bytes(9, raw)
}

func tensorInt64(name string, dims []int64, data []int64) pb {
	var t pb
	for _, d := range dims {
		t = t.varint(1, uint64(d))
	}
	t = t.varint(2, typeInt64)
	t = t.str(8, name)
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	return t.bytes(9, raw)
}

func valueInfo(name string, dims []int64) pb {
	var shape pb
	for _, d := range dims {
		shape = shape.bytes(1, pb(nil).varint(1, uint64(d)))
	}
	tensorType := pb(nil).varint(1, typeFloat).bytes(2, shape)
	typ := pb(nil).bytes(1, tensorType)
	return pb(nil).str(1, name).bytes(2, typ)
}

func attrInts(name string, v []int64) pb {
	a := pb(nil).str(1, name)
	for _, x := range v {
		a = a.varint(8, uint64(x))
	}
	return a.varint(20, 7) // AttributeProto.INTS
}

func node(op string, inputs, outputs []string, attrs ...pb) pb {
	var n pb
	for _, in := range inputs {
		n = n.str(1, in)
	}
	for _, out := range outputs {
		n = n.str(2, out)
	}
	n = n.str(3, op+"_"+outputs[0]).str(4, op)
	for _, a := range attrs {
		n = n.bytes(5, a)
	}
	return n
}

// Grid is the YOLOv8-layout toy detector's cell size in input pixels.
const Grid = 16

// RedDetectorV8 returns a model with YOLOv8's output layout — [1, 4+classes, cells] — for a
// size×size RGB input scaled 0..1: each 16×16 cell proposes a box of its own size at its
// centre, and class 0 ("red") scores the cell's mean red minus its mean green. An input
// that is red in one cell gives one strong detection there. Classes beyond the first score 0.
func RedDetectorV8(size, classes int) []byte {
	cells := size / Grid
	ch := 4 + classes
	// Conv weights [ch, 3, 16, 16]: only the class-0 channel looks at the picture.
	w := make([]float32, ch*3*Grid*Grid)
	per := float32(1) / (Grid * Grid)
	for i := range Grid * Grid {
		w[4*3*Grid*Grid+0*Grid*Grid+i] = per  // + mean red
		w[4*3*Grid*Grid+1*Grid*Grid+i] = -per // − mean green
	}
	// The box channels come from a constant added per cell: centre x, centre y, w, h.
	grid := make([]float32, ch*cells*cells)
	for y := range cells {
		for x := range cells {
			c := y*cells + x
			grid[0*cells*cells+c] = float32(x*Grid + Grid/2)
			grid[1*cells*cells+c] = float32(y*Grid + Grid/2)
			grid[2*cells*cells+c] = Grid
			grid[3*cells*cells+c] = Grid
		}
	}
	g := pb(nil).
		bytes(1, node("Conv", []string{"images", "w"}, []string{"conv"}, attrInts("kernel_shape", []int64{Grid, Grid}), attrInts("strides", []int64{Grid, Grid}))).
		bytes(1, node("Add", []string{"conv", "grid"}, []string{"boxes"})).
		bytes(1, node("Reshape", []string{"boxes", "shape"}, []string{"output0"})).
		str(2, "red_detector").
		bytes(5, tensorFloat("w", []int64{int64(ch), 3, Grid, Grid}, w)).
		bytes(5, tensorFloat("grid", []int64{1, int64(ch), int64(cells), int64(cells)}, grid)).
		bytes(5, tensorInt64("shape", []int64{3}, []int64{1, int64(ch), int64(cells * cells)})).
		bytes(11, valueInfo("images", []int64{1, 3, int64(size), int64(size)})).
		bytes(12, valueInfo("output0", []int64{1, int64(ch), int64(cells * cells)}))
	opset := pb(nil).str(1, "").varint(2, 12)
	return pb(nil).varint(1, 7).str(2, "vigil-test").bytes(7, g).bytes(8, opset)
}
