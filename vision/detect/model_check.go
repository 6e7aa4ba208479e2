package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"gocv.io/x/gocv"
)

// OpenCV aborts the whole process (an uncaught C++ exception) on an ONNX file it cannot
// import, and gocv cannot catch it. So a model is first loaded and run once in a child
// process — this same executable, re-run with these variables set — and only a model that
// passed is loaded here.
const (
	envModelCheck     = "VIGIL_ONNX_CHECK"
	envModelCheckSize = "VIGIL_ONNX_CHECK_SIZE"
)

// ModelInfo is what the check learnt about a model.
type ModelInfo struct {
	OutputDims []int `json:"output_dims"`
}

// RunModelCheckIfAsked makes this process the model-checking child when it was started as
// one: it loads the model, runs it once on a blank input, prints what it produced and exits.
// Every main that uses ONNX models (and TestMain of packages that test them) calls it first.
func RunModelCheckIfAsked() {
	path := os.Getenv(envModelCheck)
	if path == "" {
		return
	}
	size, _ := strconv.Atoi(os.Getenv(envModelCheckSize))
	net := gocv.ReadNetFromONNX(path)
	if net.Empty() {
		fmt.Fprintln(os.Stderr, "OpenCV read the file but found no network in it")
		os.Exit(3)
	}
	blank := gocv.NewMatWithSize(size, size, gocv.MatTypeCV8UC3)
	blob := gocv.BlobFromImage(blank, 1.0/255, image.Pt(size, size), gocv.NewScalar(0, 0, 0, 0), false, false)
	net.SetInput(blob, "")
	out := net.Forward("")
	_ = json.NewEncoder(os.Stdout).Encode(ModelInfo{OutputDims: out.Size()})
	os.Exit(0)
}

// CheckModel loads and runs an ONNX model in a child process (see RunModelCheckIfAsked) and
// returns its output shape, or a sentence saying why OpenCV cannot use it.
func CheckModel(ctx context.Context, path string, inputSize int) (ModelInfo, error) {
	if _, err := os.Stat(path); err != nil {
		return ModelInfo{}, fmt.Errorf("model %s: %w", path, err)
	}
	self, err := os.Executable()
	if err != nil {
		return ModelInfo{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), envModelCheck+"="+path, envModelCheckSize+"="+strconv.Itoa(inputSize))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info ModelInfo
	if runErr == nil && json.Unmarshal(stdout.Bytes(), &info) == nil && len(info.OutputDims) > 0 {
		return info, nil
	}
	if ctx.Err() != nil {
		return ModelInfo{}, fmt.Errorf("model %s: OpenCV did not finish loading it in 2 minutes", path)
	}
	reason := lastLine(stderr.String())
	// OpenCV names the file and its own function in the message: the sentence names the
	// file once already.
	reason = strings.ReplaceAll(reason, ": "+path, "")
	if i := strings.Index(reason, " in function "); i > 0 {
		reason = reason[:i]
	}
	var exitErr *exec.ExitError
	if errors.As(runErr, &exitErr) && reason == "" {
		reason = exitErr.String()
	}
	return ModelInfo{}, fmt.Errorf("model %s: OpenCV 4.6 cannot import it (%s); export it again as ONNX opset 12 with a static input size", path, orDefault(reason, "no output"))
}

// lastLine picks OpenCV's message out of a C++ abort's output ("what(): ... error: ...").
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if _, after, ok := strings.Cut(l, "error: "); ok {
			return strings.TrimSpace(after)
		}
		if strings.HasPrefix(l, "what():") {
			return strings.TrimSpace(strings.TrimPrefix(l, "what():"))
		}
	}
	if len(lines) > 0 {
		return strings.TrimSpace(lines[len(lines)-1])
	}
	return ""
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
