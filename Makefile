# Vigil's build. `make demo` and `make test` are the two commands a new machine needs.
SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

# System packages (Debian 12). OpenCV and FFmpeg for vision, GL/X11/Wayland for Fyne's GLFW,
# Xvfb and imagemagick for the desktop end-to-end tests, ffmpeg for test video, opencv-doc for
# OpenCV's pedestrian clip (vtest.avi) that the people detector is tested on.
APT_PACKAGES := pkg-config libopencv-dev opencv-data libavcodec-dev libavformat-dev \
	libavutil-dev libswscale-dev libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev \
	wayland-protocols xvfb imagemagick ffmpeg opencv-doc

.PHONY: deps build test bench fuzz demo screenshots clean

## deps: install the missing system packages (nothing when all are present)
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		sudo=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		echo "installing:" $$missing; \
		$$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y $$missing; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/ (install to /usr/local/go)"; exit 1; }

## build: the vigil binary in bin/
build:
	$(GO) build -o bin/vigil ./cmd/vigil

## test: vet and the whole suite with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 20m ./...

## bench: the benchmarks recorded in docs/BENCHMARKS.md (about two minutes; the first run
## also makes the 1080p decode clip, about a minute more)
bench:
	$(GO) test -run '^$$' -bench . -cpu 1 ./mavlink/
	$(GO) test -run '^$$' -bench . -benchtime 3x ./test/
	$(GO) test -run '^$$' -bench 'Geotag|PoseHistory|Aerostat|Stare|Survey|Validate1000' -cpu 1 ./gcs/
	$(GO) test -run '^$$' -bench Store -benchtime 100000x -cpu 1 ./gcs/store/
	$(GO) test -run '^$$' -bench AerostatStep -benchtime 2s ./mavlink/sitl/
	$(GO) test -run '^$$' -bench . -benchtime 1x ./vision/ ./vision/avcodec/
	$(GO) test -run '^$$' -bench . -benchtime 150x -cpu 1 ./vision/synthcam/
	$(GO) test -run '^$$' -bench 'Motion|People|Anomaly' -benchtime 150x -cpu 1 ./vision/detect/
	$(GO) test -run '^$$' -bench FalseTracks -benchtime 1x -cpu 1 ./vision/detect/
	$(GO) test -run '^$$' -bench Update -benchtime 2000x -cpu 1 ./vision/track/
	$(GO) test -run '^$$' -bench . -benchtime 100x -cpu 1 ./ui/...

## fuzz: run every fuzzer for FUZZTIME each (seed corpora run in `make test` anyway)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep ^Fuzz); do \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s $$pkg || exit 1; \
		done; \
	done

## demo: build, then run the simulator (two copters with cameras, a tethered aerostat) and the
## desktop app on it; without a display, the headless station. DEMO_ARGS="--speed 2 --for 10m".
demo: deps build
	./bin/vigil demo $(DEMO_ARGS)

clean:
	rm -rf bin

## screenshots: remake the README's pictures of the app (vigil demo under Xvfb, as the
## end-to-end test takes them)
screenshots: deps
	VIGIL_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count 1 -run 'TestDesktopApp' -v ./test/
