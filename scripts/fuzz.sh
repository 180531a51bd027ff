#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Fuzz the vpanthor ioctl entry for a bounded time (default 60 s) with libFuzzer, ASan and
# UBSan: builds build-fuzz with clang and -Dfuzz=true, then runs vpanthor_fuzz over a corpus
# kept in build-fuzz/fuzz-corpus. Exit code: non-zero on a crash, a leak, a hang (10 s per
# input) or a build failure. Usage: scripts/fuzz.sh [seconds]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_TO_RUN=${1:-60}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}

if ! command -v clang >/dev/null; then
	echo "fuzz.sh: clang is needed (apt-get install clang)" >&2
	exit 1
fi
if [ ! -d "$BUILD" ]; then
	CC=clang meson setup "$BUILD" -Dfuzz=true >/dev/null
fi
ninja -C "$BUILD" vpanthor/fuzz/vpanthor_fuzz
mkdir -p "$BUILD/fuzz-corpus" "$BUILD/fuzz-artifacts"
# The device's GPU threads outlive one input: leaks are checked at exit only.
"$BUILD/vpanthor/fuzz/vpanthor_fuzz" -max_total_time="$SECONDS_TO_RUN" -timeout=10 \
	-rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-artifacts/" \
	"$BUILD/fuzz-corpus"
