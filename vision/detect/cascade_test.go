package detect

import (
	"image"
	"testing"

	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

func TestCascadeFindsPeopleOnPedestrianClip(t *testing.T) {
	vc := openVtest(t)
	c, err := NewCascade("fullbody", "")
	require.NoError(t, err)
	defer c.Close()
	bgr, grey := gocv.NewMat(), gocv.NewMat()
	defer bgr.Close()
	defer grey.Close()
	m := &Motion{}
	defer m.Close()
	found := 0
	for i := 0; i < 40 && vc.Read(&bgr); i++ {
		gocv.CvtColor(bgr, &grey, gocv.ColorBGRToGray)
		res, err := m.Detect(grey)
		require.NoError(t, err)
		for _, d := range c.DetectRegions(grey, res.Boxes) {
			require.Equal(t, ClassPerson, d.Class)
			require.True(t, d.Box.In(image.Rect(0, 0, grey.Cols(), grey.Rows())))
			found++
		}
	}
	require.Positive(t, found)

	_, err = NewCascade("cat", "")
	require.EqualError(t, err, `no cascade "cat" (want fullbody, upperbody or face)`)
	_, err = NewCascade("face", t.TempDir())
	require.ErrorContains(t, err, "opencv-data")
}
