package test

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Colours the app draws with (ui/map_layers.go): what the screenshot is searched for.
var (
	screenVehicle = color.RGBA{90, 200, 255, 255}
	screenTarget  = color.RGBA{255, 140, 40, 255}
	screenBox     = color.RGBA{0, 220, 255, 255} // a motion track's box in the video (ui/video_draw.go)
)

// TestDesktopApp runs `vigil demo` in a real window under Xvfb, as an operator would start it,
// and reads a screenshot of the screen (imagemagick's `import -window root`): the map with
// both copters and the aerostat over the simulated world, targets on it, and the video. The
// README's pictures are made by this test (make screenshots).
func TestDesktopApp(t *testing.T) {
	display := startXvfb(t, 1440, 900)
	dir := screenshotDir(t)
	demo := exec.Command(vigilBinary, "demo", "--for", "150s", "--db", filepath.Join(t.TempDir(), "demo.db"),
		"--mavlink-port", "0", "--rtsp-port", "0")
	demo.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := demo.StdoutPipe()
	require.NoError(t, err)
	demo.Stderr = demo.Stdout
	require.NoError(t, demo.Start())
	t.Cleanup(func() { demo.Process.Kill(); demo.Wait() }) //nolint:errcheck

	// Follow the station's report until the targets are there.
	targetsRE := regexp.MustCompile(`targets (\d+)`)
	var mu sync.Mutex
	targets, lines := 0, []string{}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			if m := targetsRE.FindStringSubmatch(sc.Text()); m != nil {
				targets, _ = strconv.Atoi(m[1])
			}
			mu.Unlock()
		}
	}()
	start := time.Now()
	for {
		mu.Lock()
		n := targets
		mu.Unlock()
		// Copter 1 climbs for about 30 s; by then the aerostat has found targets.
		if n >= 3 && time.Since(start) > 45*time.Second {
			break
		}
		if time.Since(start) > 140*time.Second {
			mu.Lock()
			t.Fatalf("no targets after %s; the demo said:\n%s", time.Since(start), fmt.Sprint(lines))
		}
		time.Sleep(time.Second)
	}
	time.Sleep(2 * time.Second) // one more refresh of the window

	// Targets come and go in the camera's view: of a few screenshots, keep the one with the
	// most boxes in the video (the README's picture).
	mapArea := image.Rect(0, 125, 850, 690)
	videoArea := image.Rect(880, 150, 1440, 440)
	var img image.Image
	best := -1
	for i := range 8 {
		shot := screenshot(t, display, filepath.Join(dir, fmt.Sprintf("shot-%d.png", i)))
		if n := countColour(shot, videoArea, screenBox, 10); n > best {
			best, img = n, shot
			require.NoError(t, os.Rename(filepath.Join(dir, fmt.Sprintf("shot-%d.png", i)), filepath.Join(dir, "vigil-demo.png")))
		} else {
			os.Remove(filepath.Join(dir, fmt.Sprintf("shot-%d.png", i)))
		}
		if best > 200 {
			break
		}
		time.Sleep(1500 * time.Millisecond)
	}
	require.GreaterOrEqual(t, blobs(img, mapArea, screenVehicle, 12, 25), 2,
		"the map shows the vehicles (copters 1 and 2 apart, the aerostat to the west); screenshot %s", filepath.Join(dir, "vigil-demo.png"))
	require.Greater(t, countColour(img, mapArea, screenTarget, 12), 20, "targets are on the map")
	// The simulated world is the map's ground: many colours, not the flat grid background.
	require.Less(t, countColour(img, mapArea, color.RGBA{28, 33, 38, 255}, 2), mapArea.Dx()*mapArea.Dy()/4,
		"the map shows the simulated world, not an empty grid")

	// The video panel, right of the map, plays copter 1's camera with the tracks' boxes.
	require.Greater(t, best, 30, "the video shows boxes around what it tracks")

	require.NoError(t, demo.Process.Signal(syscall.SIGINT))
	require.NoError(t, demo.Wait(), "Ctrl-C closes the app cleanly")
}
