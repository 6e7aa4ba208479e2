#!/usr/bin/env bash
# The demo until the desktop app lands: two simulated copters with simulated cameras, one of
# them flown through arm → takeoff → goto → RTL by the CLI, a live table of both, and (with a
# display) copter 1's video in ffplay. Ctrl-C ends it all.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=./bin/vigil
LINK=tcp://127.0.0.1:5760

VIDEO=rtsp://127.0.0.1:8554/cam1

$VIGIL sim --copter 2 --mavlink tcpin://127.0.0.1:5760 --camera $VIDEO &
SIM=$!
PLAY=
trap 'kill $SIM $FLY $PLAY 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

fly() {
  sleep 6 # GPS needs a few seconds for a fix, like a real vehicle; arming before is refused
  $VIGIL cmd --connect $LINK --sysid 1 mode GUIDED
  $VIGIL cmd --connect $LINK --sysid 1 arm
  $VIGIL cmd --connect $LINK --sysid 1 takeoff 20 --wait
  $VIGIL cmd --connect $LINK --sysid 1 goto -35.3620 149.1665 30 --wait
  $VIGIL cmd --connect $LINK --sysid 1 rtl --wait
}
fly >/tmp/vigil-demo-flight.log 2>&1 &
FLY=$!

sleep 2
$VIGIL video probe $VIDEO --for 2s >/tmp/vigil-demo-video.log 2>&1 || true
if [ -n "${DISPLAY:-}" ] && command -v ffplay >/dev/null; then
  ffplay -loglevel error -fflags nobuffer -window_title "copter 1 camera" $VIDEO &
  PLAY=$!
fi

$VIGIL vehicles --connect $LINK --watch
