#!/bin/bash
# SPDX-License-Identifier: MIT
#
# arm64 CI: cross-builds igt-panthor for arm64 (aarch64) with Debian's cross toolchain and
# multiarch -dev packages, runs the whole panthor suite (every binary of test-list.txt, every
# subtest) on the vpanthor model under qemu-user, and compares the results with an x86-64 run of
# the same suite: the same test names and the same result for each test, or the script fails.
#
#   scripts/ci-arm64.sh [RESULTS_DIR]        (default: results-arm64, relative to the repository)
#
# Idempotent: it installs only the missing packages, enables qemu-user through binfmt_misc only
# when it is not enabled, reconfigures existing build directories, and replaces the runs of an
# earlier call in RESULTS_DIR. Steps and what they leave:
#
#   1. packages: dpkg --add-architecture arm64, then crossbuild-essential-arm64, lib*-dev:arm64
#      (those of scripts/debian-packages.txt the build links), qemu-user-static, binfmt-support
#      and the build tools (meson, ninja-build, pkg-config, python3);
#   2. binfmt_misc: a small arm64 program is run; if it does not run, binfmt_misc is mounted and
#      qemu-aarch64 enabled (update-binfmts), and it is run again. When that is impossible (say,
#      an unprivileged container) the script stops with the reason: the arm64 binaries cannot
#      run, so there is nothing to compare;
#   3. build-arm64/: meson setup --cross-file scripts/cross-arm64.txt --werror, ninja;
#   4. the x86-64 build (X86_BUILD_DIR, default build/, configured by scripts/setup.sh with
#      X86_MESON_OPTS, default --werror as in .ci/run) and its run: RESULTS_DIR/x86-64/;
#   5. the arm64 run: build-arm64/runner/igt_panthor_runner, with the arm64 model
#      (build-arm64/vpanthor/libvpanthor.so, VPANTHOR_DAEMON=build-arm64/vpanthor/vpanthord):
#      RESULTS_DIR/arm64/. Each run has a device of its own (VPANTHOR_SOCKET in RESULTS_DIR;
#      the daemon's log is RESULTS_DIR/<arch>.vpanthor.sock.log);
#   6. the comparison (RESULTS_DIR/comparison.txt, also printed): the count per result for both
#      runs, then every test missing on one side or with another result.
#
# Exit status 0 only when both runs have the same tests with the same IGT result each (pass,
# skip, fail, dmesg-warn, ...) and every test succeeds on both sides as the runner judges it with
# the model's expectation files (runner/ci/vpanthor-{fails,flakes,skips}.txt; pass and skip
# succeed, dmesg-warn does not). Both runs use --no-rerun: each test is judged on one execution.
#
# Environment:
#   X86_BUILD_DIR    x86-64 build directory (default build)
#   X86_MESON_OPTS   its meson options when scripts/setup.sh must configure it (default: the options
#                    X86_BUILD_DIR was configured with, so ./run-suite's build/ is reused, never
#                    wiped; --werror for a new directory)
#   X86_RESULTS      an existing runner results directory of the x86-64 suite to compare with,
#                    instead of running it again (it must come from the same commit)
#   ALLOW_UPGRADES   1: let apt upgrade installed host packages when the arm64 ones need it
#                    (by default the script stops and names them)
#   RUNNER_ARGS      extra runner options for both runs, e.g. "--per-test-timeout 120"
#
# The whole suite runs on both sides: there is no subset. Timings on the 2-core CI machine are in
# the summary printed at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RES=${1:-results-arm64}
X86_BUILD_DIR=${X86_BUILD_DIR:-build}
# scripts/setup.sh wipes a build directory configured with other options: keep what is there
if [ -z "${X86_MESON_OPTS+set}" ] && [ -f "$X86_BUILD_DIR/.setup-meson-opts" ]; then
	X86_MESON_OPTS=$(cat "$X86_BUILD_DIR/.setup-meson-opts")
fi
X86_MESON_OPTS=${X86_MESON_OPTS---werror}
X86_RESULTS=${X86_RESULTS:-}
ARM_BUILD_DIR=build-arm64
CROSS_FILE=scripts/cross-arm64.txt
# shellcheck disable=SC2206 # a list of options on purpose
RUNNER_ARGS=(${RUNNER_ARGS:-})

# The build tools too: the arm64 build may come before anything else on a fresh machine.
ARM64_PKGS=(crossbuild-essential-arm64 libdrm-dev:arm64 libkmod-dev:arm64 libproc2-dev:arm64
	    libjansson-dev:arm64 libunwind-dev:arm64 libdw-dev:arm64
	    qemu-user-static binfmt-support meson ninja-build pkg-config python3)

log() { echo "ci-arm64: $*"; }
die() { echo "ci-arm64: error: $*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "not root and no sudo: cannot install packages or set up binfmt_misc"
	SUDO=(sudo)
fi

declare -A T	# step -> seconds
step_start=0
begin() { step_start=$SECONDS; log "--- $1"; }
end() { T[$1]=$((SECONDS - step_start)); }

# --- 1. packages ---------------------------------------------------------------------------
begin "packages"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "adding the arm64 architecture to dpkg"
	"${SUDO[@]}" dpkg --add-architecture arm64
fi
missing=()
for pkg in "${ARM64_PKGS[@]}"; do
	dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	"${SUDO[@]}" apt-get update
	# A multiarch lib*-dev:arm64 must have its native twin's version: ask for exactly that
	# version, so that apt never upgrades the host's own package to match.
	want=()
	for pkg in "${missing[@]}"; do
		native=${pkg%:arm64}
		ver=""
		if [ "$native" != "$pkg" ]; then
			ver=$(dpkg-query -W -f='${Version}' "$native:$(dpkg --print-architecture)" \
				2>/dev/null || true)
		fi
		want+=("$pkg${ver:+=$ver}")
	done
	# Nothing already installed may be upgraded on the way: a host whose packages lag the
	# archive would get some of them upgraded to keep multiarch twins in step. Say which, and
	# go on only when allowed (ALLOW_UPGRADES=1) or after the host was upgraded by its owner.
	upgrades=$(apt-get install -s --no-install-recommends "${want[@]}" 2>/dev/null |
		   sed -n 's/^Inst \([^ ]*\) \[\([^]]*\)\].*/\1 (\2)/p' | tr '\n' ' ')
	if [ -n "$upgrades" ]; then
		if [ "${ALLOW_UPGRADES:-0}" != 1 ]; then
			die "installing ${want[*]} would upgrade installed host packages:" \
			    "$upgrades- upgrade the host first, or set ALLOW_UPGRADES=1"
		fi
		log "ALLOW_UPGRADES=1: apt also upgrades $upgrades"
	fi
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${want[@]}"
else
	log "all arm64 packages present"
fi
end packages

# --- 2. binfmt_misc + qemu-user ------------------------------------------------------------
begin "binfmt_misc"
BINFMT=/proc/sys/fs/binfmt_misc
cannot_run() {
	die "arm64 binaries cannot run on this machine: $*. The arm64 suite cannot run, so there" \
	    "is nothing to compare (in a container, binfmt_misc needs a privileged container or" \
	    "qemu-aarch64 registered on the host with the F flag)."
}
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdio.h>\nint main(void) { puts("arm64-ok"); return 0; }\n' > "$probe_dir/p.c"
aarch64-linux-gnu-gcc -o "$probe_dir/p" "$probe_dir/p.c" || die "aarch64-linux-gnu-gcc cannot build a program"
probe_runs() { probe=$("$probe_dir/p" 2>&1) && [ "$probe" = arm64-ok ]; }

# Nothing to do when arm64 programs already run (say, a container whose host registered
# qemu-aarch64 with the F flag, without binfmt_misc mounted inside).
if ! probe_runs; then
	if [ ! -e "$BINFMT/status" ]; then
		log "mounting binfmt_misc on $BINFMT"
		"${SUDO[@]}" mount -t binfmt_misc binfmt_misc "$BINFMT" ||
			cannot_run "binfmt_misc is not mounted and cannot be mounted on $BINFMT"
	fi
	# qemu-user-static's postinst registers the format with binfmt-support; where it could not
	# reach the kernel (binfmt_misc mounted later, containers), enabling it writes it there.
	if [ "$(head -n1 "$BINFMT/qemu-aarch64" 2>/dev/null)" != enabled ]; then
		log "enabling qemu-aarch64 in binfmt_misc"
		"${SUDO[@]}" update-binfmts --enable qemu-aarch64 ||
			cannot_run "update-binfmts --enable qemu-aarch64 failed"
	fi
	[ "$(head -n1 "$BINFMT/qemu-aarch64" 2>/dev/null)" = enabled ] ||
		cannot_run "qemu-aarch64 is not enabled in $BINFMT (is writing there permitted?)"
	probe_runs || cannot_run "a hello-world arm64 program does not run: ${probe:-no output}"
fi
log "arm64 programs run (binfmt_misc: $(sed -n 's/^interpreter //p' "$BINFMT/qemu-aarch64" \
	2>/dev/null || echo "not visible here"))"
end binfmt

# --- 3. arm64 build ------------------------------------------------------------------------
begin "arm64 build ($ARM_BUILD_DIR)"
if [ -f "$ARM_BUILD_DIR/build.ninja" ] && [ -f "$ARM_BUILD_DIR/meson-private/coredata.dat" ]; then
	meson setup --reconfigure "$ARM_BUILD_DIR" --cross-file "$CROSS_FILE" --werror
else
	rm -rf "$ARM_BUILD_DIR"	# absent, or a configuration that failed half-way
	meson setup "$ARM_BUILD_DIR" --cross-file "$CROSS_FILE" --werror
fi
ninja -C "$ARM_BUILD_DIR"
end build
for f in runner/igt_panthor_runner vpanthor/libvpanthor.so vpanthor/vpanthord tests/test-list.txt; do
	[ -e "$ARM_BUILD_DIR/$f" ] || die "$ARM_BUILD_DIR/$f was not built"
done

mkdir -p "$RES"
RES=$(cd "$RES" && pwd)

# One run of the suite on the model of build directory $1 into $RES/$2.
run_suite() {
	local bdir=$ROOT/$1 out=$RES/$2 rc=0

	rm -f "$RES/$2.vpanthor.sock.log"
	env -u VPANTHOR_QUIRKS -u VPANTHOR_VERSION -u IGT_TEST_ROOT -u LD_PRELOAD \
		VPANTHOR_DAEMON="$bdir/vpanthor/vpanthord" VPANTHOR_SOCKET="$RES/$2.vpanthor.sock" \
		"$bdir/runner/igt_panthor_runner" --model --model-lib "$bdir/vpanthor/libvpanthor.so" \
		--test-root "$bdir/tests" --no-rerun --overwrite \
		--baseline runner/ci/vpanthor-fails.txt --flakes runner/ci/vpanthor-flakes.txt \
		--skips runner/ci/vpanthor-skips.txt "${RUNNER_ARGS[@]}" "$out" || rc=$?
	[ -f "$out/results.json" ] || die "the $2 run wrote no results.json (runner exit code $rc)"
	log "$2 run: runner exit code $rc"
}

# --- 4. x86-64 reference -------------------------------------------------------------------
if [ -n "$X86_RESULTS" ]; then
	[ -f "$X86_RESULTS/results.json" ] || die "X86_RESULTS=$X86_RESULTS has no results.json"
	X86_JSON=$X86_RESULTS/results.json
	log "x86-64 reference: $X86_JSON (not run again)"
	T[x86]=0
else
	begin "x86-64 build ($X86_BUILD_DIR) and run"
	BUILD_DIR=$X86_BUILD_DIR MESON_OPTS=$X86_MESON_OPTS scripts/setup.sh
	end x86build
	begin "x86-64 run"
	run_suite "$X86_BUILD_DIR" x86-64
	end x86
	X86_JSON=$RES/x86-64/results.json
fi

# --- 5. arm64 run --------------------------------------------------------------------------
begin "arm64 run (qemu-user)"
run_suite "$ARM_BUILD_DIR" arm64
end arm64

# --- 6. comparison -------------------------------------------------------------------------
cmp_rc=0
python3 - "$X86_JSON" "$RES/arm64/results.json" > "$RES/comparison.txt" <<'EOF' || cmp_rc=$?
import glob
import json
import os
import sys

# The runner's successes (deqp-runner's rule, after the expectation files).
SUCCESS = {"Pass", "Skip", "Warn", "Flake", "KnownFlake", "ExpectedFail"}
runs, verdicts = [], []
for path in sys.argv[1:3]:
    with open(path) as f:
        j = json.load(f)
    runs.append({name: t["result"] for name, t in j["tests"].items()})
    verdicts.append(j.get("igt_panthor", {}).get("statuses", {}))
x86, arm = runs

# What each run ran: the binaries' "IGT-Version: <version> (<arch>) ..." line, from a job's output.
versions, arches = [], []
for label, path in zip(("x86-64", "arm64"), sys.argv[1:3]):
    line = "IGT-Version: ? (unknown)"
    for out in sorted(glob.glob(os.path.join(os.path.dirname(path), "[0-9]*", "out.txt"))):
        with open(out, errors="replace") as f:
            first = f.readline()
        if first.startswith("IGT-Version:") and "(" in first:
            line = first.strip()
            break
    versions.append(line.split()[1])
    arches.append(line.split("(")[1].split(")")[0])
    print(f"{label} run: {line}")


def failed(name):
    drm = name[4:] if name.startswith("igt@") else name
    return any(name in run and v.get(drm, "Fail") not in SUCCESS
               for run, v in zip(runs, verdicts))

statuses = sorted(set(x86.values()) | set(arm.values()))
print("arm64 vs x86-64: result counts (IGT results, first and only execution)")
print(f"  {'result':<14}{'x86-64':>8}{'arm64':>8}")
for s in statuses:
    print(f"  {s:<14}{list(x86.values()).count(s):>8}{list(arm.values()).count(s):>8}")
print(f"  {'total':<14}{len(x86):>8}{len(arm):>8}")

diffs = []
for name in sorted(set(x86) | set(arm)):
    a, b = x86.get(name, "(absent)"), arm.get(name, "(absent)")
    if a != b:
        diffs.append(f"  {name}: x86-64 {a}, arm64 {b}")
bad = [f"  {name}: x86-64 {x86.get(name, '(absent)')}, arm64 {arm.get(name, '(absent)')}"
       for name in sorted(set(x86) | set(arm)) if failed(name)]
print(f"differences: {len(diffs)}")
print("\n".join(diffs) if diffs else "  none")
print(f"tests that did not succeed (on either side, after runner/ci/vpanthor-*.txt): {len(bad)}")
print("\n".join(bad) if bad else "  none")
if not x86 or not arm:
    print("an empty run: nothing was compared")
    sys.exit(1)
if arches != ["x86_64", "aarch64"] or versions[0] != versions[1]:
    print("the runs are not x86_64 and aarch64 binaries of the same version")
    sys.exit(1)
sys.exit(1 if diffs or bad else 0)
EOF
cat "$RES/comparison.txt"

log "timings (s): packages ${T[packages]}, binfmt ${T[binfmt]}, arm64 build ${T[build]}," \
    "x86-64 build ${T[x86build]:-0}, x86-64 run ${T[x86]}, arm64 run ${T[arm64]}; total $SECONDS"
if [ $cmp_rc -eq 0 ]; then
	log "PASS: arm64 and x86-64 give the same results ($RES)"
else
	log "FAIL: see $RES/comparison.txt and the runs' report.html"
fi
exit $cmp_rc
