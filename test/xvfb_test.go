package test

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startXvfb starts a virtual X display for a real window and returns its DISPLAY value; it
// is stopped when the test ends. Xvfb comes with `make deps`.
func startXvfb(t *testing.T, w, h int) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatalf("Xvfb is missing: run `make deps` (it installs xvfb and imagemagick)")
	}
	for n := 140 + os.Getpid()%50; n < 240; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue // a display is there already
		}
		x := exec.Command("Xvfb", fmt.Sprintf(":%d", n), "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
		require.NoError(t, x.Start())
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				t.Cleanup(func() { x.Process.Kill(); x.Wait() }) //nolint:errcheck
				return fmt.Sprintf(":%d", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		x.Process.Kill() //nolint:errcheck
		x.Wait()         //nolint:errcheck
	}
	t.Fatal("no free X display for Xvfb")
	return ""
}

// screenshot takes the whole virtual screen with imagemagick, as the README's pictures are
// made, and returns it with the file's path.
func screenshot(t *testing.T, display, path string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "import: %s", out)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

// countColour counts the pixels of r within tol of c.
func countColour(img image.Image, r image.Rectangle, c color.RGBA, tol int) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if abs(int(cr>>8)-int(c.R)) <= tol && abs(int(cg>>8)-int(c.G)) <= tol && abs(int(cb>>8)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// blobs counts separate groups of pixels of colour c (within tol) in r, ignoring groups
// smaller than minPx: how many vehicles, how many boxes.
func blobs(img image.Image, r image.Rectangle, c color.RGBA, tol, minPx int) int {
	w, h := r.Dx(), r.Dy()
	seen := make([]bool, w*h)
	match := func(x, y int) bool {
		cr, cg, cb, _ := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
		return abs(int(cr>>8)-int(c.R)) <= tol && abs(int(cg>>8)-int(c.G)) <= tol && abs(int(cb>>8)-int(c.B)) <= tol
	}
	n := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if seen[y*w+x] || !match(x, y) {
				continue
			}
			size, stack := 0, [][2]int{{x, y}}
			seen[y*w+x] = true
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				size++
				for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					qx, qy := p[0]+d[0], p[1]+d[1]
					if qx >= 0 && qy >= 0 && qx < w && qy < h && !seen[qy*w+qx] && match(qx, qy) {
						seen[qy*w+qx] = true
						stack = append(stack, [2]int{qx, qy})
					}
				}
			}
			if size >= minPx {
				n++
			}
		}
	}
	return n
}

// screenshotDir is where the end-to-end screenshots go: the README's pictures when
// VIGIL_SCREENSHOTS names docs/screenshots (make screenshots), else the test's temp folder.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("VIGIL_SCREENSHOTS"); d != "" {
		require.NoError(t, os.MkdirAll(d, 0o755))
		abs, err := filepath.Abs(d)
		require.NoError(t, err)
		return abs
	}
	return t.TempDir()
}
