#!/usr/bin/env bash
# The demo: two simulated copters with simulated cameras; copter 1 takes off to 80 m, looks
# straight down at people and vehicles moving, then flies a leg and comes home. With a
# display, the desktop app (vigil gui) shows it all and copter 1's video plays in ffplay;
# without one, the headless station (vigil run) records in the background and a live vehicle
# table runs in the terminal. Ctrl-C (or closing the window) ends it all and prints where the
# record is.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=./bin/vigil
LINK=tcp://127.0.0.1:5760
VIDEO=rtsp://127.0.0.1:8554/cam1
DB=/tmp/vigil-demo.db

$VIGIL sim --copter 2 --mavlink tcpin://127.0.0.1:5760 --camera $VIDEO &
SIM=$!
PLAY=
RUN=
trap 'kill $SIM $FLY $PLAY $RUN 2>/dev/null; wait 2>/dev/null; echo "record: $DB (vigil export --db $DB --format geojson targets.geojson); logs: /tmp/vigil-demo-*.log"' EXIT INT TERM

fly() {
  sleep 6 # GPS needs a few seconds for a fix, like a real vehicle; arming before is refused
  $VIGIL cmd --connect $LINK --sysid 1 mode GUIDED
  $VIGIL cmd --connect $LINK --sysid 1 arm
  $VIGIL cmd --connect $LINK --sysid 1 takeoff 80 --wait
  $VIGIL cmd --connect $LINK --sysid 1 gimbal -90 0
  sleep 60
  $VIGIL cmd --connect $LINK --sysid 1 gimbal -45 0
  $VIGIL cmd --connect $LINK --sysid 1 goto -35.3620 149.1665 80 --wait
  $VIGIL cmd --connect $LINK --sysid 1 rtl --wait
}
fly >/tmp/vigil-demo-flight.log 2>&1 &
FLY=$!

rm -f $DB
sleep 2
$VIGIL video probe $VIDEO --for 2s >/tmp/vigil-demo-video.log 2>&1 || true
if [ -n "${DISPLAY:-}" ]; then
  if command -v ffplay >/dev/null; then
    ffplay -loglevel error -fflags nobuffer -window_title "copter 1 camera" $VIDEO &
    PLAY=$!
  fi
  $VIGIL gui --connect $LINK --db $DB >/tmp/vigil-demo-run.log 2>&1
else
  $VIGIL run --connect $LINK --db $DB >/tmp/vigil-demo-run.log 2>&1 &
  RUN=$!
  $VIGIL vehicles --connect $LINK --watch
fi
