#!/bin/bash
# SPDX-License-Identifier: MIT
#
# ThreadSanitizer over the model: builds BUILD_DIR (default build-tsan) with
# -Db_sanitize=thread (gcc or clang, from CC), runs the model's unit tests (meson suite
# vpanthor), then the suite through ./run-suite on the model (results in
# BUILD_DIR/tsan-results; SLOW below is left out). Every instrumented process writes its
# reports under BUILD_DIR/tsan-reports: the unit tests fail by their exit code (66), but the
# device process (vpanthord) is started by the tests and outlives them, so this script fails
# whenever any report file exists, and prints them. The preload library is not instrumented
# (vpanthor/meson.build). Suppressions, each one explained: vpanthor/tests/tsan.supp.
# Usage: scripts/tsan.sh [meson test arguments for the unit tests]; exit code non-zero on a
# failed test or any report.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export BUILD_DIR=${BUILD_DIR:-build-tsan}
export MESON_OPTS="-Db_sanitize=thread -Db_lundef=false --werror${MESON_OPTS:+ $MESON_OPTS}"

scripts/setup.sh || exit $?

reports="$PWD/$BUILD_DIR/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="log_path=$reports/tsan suppressions=$PWD/vpanthor/tests/tsan.supp second_deadlock_stack=1 ${TSAN_OPTIONS:-}"

# Subtests whose GPU work outlasts the modelled 5 s job timeout when the device code is
# instrumented: a pass over 2 MiB or more through the CS interpreter runs 10 to 25 times slower
# (measured on 2 shared cores: zeroed-2m-gpu-first 0.45 s plain, 6.5 s instrumented, and
# zeroed-4m-plus-4k 0.66 s, 7.7 s: both TIMEDOUT; zeroed-2m 4.9 s and the map-offset ones
# 1.7 to 3.3 s pass unloaded, but map-offset-1m-across-2m timed out in a loaded run). They fail
# by time, not by a race, so they are left out here; every other subtest of the suite runs.
SLOW='@(zeroed-2m|zeroed-4m|map-offset-2m|map-offset-1m-across-2m)'

rc=0
meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 --suite vpanthor "$@" || rc=1
# The suite as CI runs it (./run-suite: the runner, one subtest at a time, on the model), two
# tests at once, each on a device of its own; the runner is instrumented too.
./run-suite --model --no-rerun --no-progress -j 2 -x "$SLOW" -o "$BUILD_DIR/tsan-results" ||
	rc=1

n=$(find "$reports" -type f | wc -l)
if [ "$n" -gt 0 ]; then
	echo "tsan.sh: ThreadSanitizer reports from $n process(es):"
	grep -h "^SUMMARY" "$reports"/* | sort | uniq -c
	for f in "$reports"/*; do
		echo "--- $f"
		head -60 "$f"
	done
	rc=1
else
	echo "tsan.sh: no ThreadSanitizer report"
fi
exit $rc
