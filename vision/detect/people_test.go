package detect

import (
	"image"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// vtestPath is OpenCV's pedestrian clip (Debian's opencv-doc, installed by make deps).
const vtestPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"

func openVtest(t testing.TB) *gocv.VideoCapture {
	t.Helper()
	if _, err := os.Stat(vtestPath); err != nil {
		t.Skipf("%s is missing: run make deps (package opencv-doc)", vtestPath)
	}
	vc, err := gocv.VideoCaptureFile(vtestPath)
	require.NoError(t, err)
	t.Cleanup(func() { vc.Close() })
	return vc
}

// People walking in OpenCV's pedestrian clip are found by HOG run on the regions motion
// points at: most frames past the start have people, and each person box is person-shaped.
func TestPeopleOnPedestrianClip(t *testing.T) {
	vc := openVtest(t)
	bgr, grey := gocv.NewMat(), gocv.NewMat()
	defer bgr.Close()
	defer grey.Close()
	m := &Motion{}
	defer m.Close()
	p := &People{}
	framesWithPeople, frames := 0, 0
	for i := 0; i < 60 && vc.Read(&bgr); i++ {
		gocv.CvtColor(bgr, &grey, gocv.ColorBGRToGray)
		res, err := m.Detect(grey)
		require.NoError(t, err)
		if i < 10 {
			continue // the background settles
		}
		frames++
		people, err := p.DetectRegions(grey, res.Boxes)
		require.NoError(t, err)
		if len(people) > 0 {
			framesWithPeople++
		}
		for _, d := range people {
			require.Greater(t, d.Box.Dy(), d.Box.Dx(), "a standing person is taller than wide: %v", d.Box)
			require.True(t, d.Box.In(image.Rect(0, 0, grey.Cols(), grey.Rows()).Inset(-2)))
			require.GreaterOrEqual(t, d.Score, 0.6)
		}
	}
	require.GreaterOrEqual(t, frames, 40)
	require.GreaterOrEqual(t, float64(framesWithPeople)/float64(frames), 0.8, "%d of %d frames", framesWithPeople, frames)
}

func TestSuppressOverlaps(t *testing.T) {
	ds := []Detection{
		{Box: image.Rect(0, 0, 10, 20), Class: ClassPerson, Score: 0.7},
		{Box: image.Rect(1, 1, 11, 21), Class: ClassPerson, Score: 0.9},
		{Box: image.Rect(1, 1, 11, 21), Class: ClassMotion, Score: 0.5},
		{Box: image.Rect(30, 0, 40, 20), Class: ClassPerson, Score: 0.6},
	}
	got := SuppressOverlaps(ds, 0.4)
	require.Len(t, got, 3)
	require.Equal(t, 0.9, got[0].Score, "the stronger of two overlapping people stays")
	require.InDelta(t, 171.0/229, IoU(ds[0].Box, ds[1].Box), 1e-9) // 9×19 shared of 200+200−171
}
