# SPDX-License-Identifier: MIT
# Protocol half of the fake test binaries used by the runner's tests: they
# speak the text protocol of IGT test binaries (docs/runner.md) and nothing
# else. A fake defines SUBTESTS (space separated) and run_subtest NAME, sets
# BIN, then calls fake_main "$@".
#
# Kernel-log records go to $FAKE_KMSG (the file the runner reads through
# --kmsg-file or the fake model) with a fixed timestamp, so goldens are stable.

FAKE_RC=77

kmsg() {
	[ -n "$FAKE_KMSG" ] && printf '%s,1,1000000,-;%s\n' "$1" "$2" >> "$FAKE_KMSG"
	return 0
}

starting() {
	kmsg 6 "[IGT] $BIN: starting subtest $1"
	echo "Starting subtest: $1"
	echo "Starting subtest: $1" >&2
}

result() {
	echo "Subtest $1: $2 (0.010s)"
	echo "Subtest $1: $2 (0.010s)" >&2
	case "$2" in
	FAIL) FAKE_RC=98 ;;
	SUCCESS) [ "$FAKE_RC" = 98 ] || FAKE_RC=0 ;;
	esac
}

dyn_starting() {
	kmsg 6 "[IGT] $BIN: starting dynamic subtest $1"
	echo "Starting dynamic subtest: $1"
	echo "Starting dynamic subtest: $1" >&2
}

dyn_result() {
	echo "Dynamic subtest $1: $2 (0.005s)"
	echo "Dynamic subtest $1: $2 (0.005s)" >&2
}

fake_main() {
	want=""
	DYN=""
	while [ $# -gt 0 ]; do
		case "$1" in
		--list-subtests)
			for s in $SUBTESTS; do echo "$s"; done
			exit 0 ;;
		--run-subtest) want="$2"; shift ;;
		--dynamic-subtest) DYN="$2"; shift ;;
		*) echo "Unknown option $1" >&2; exit 79 ;;
		esac
		shift
	done
	# FAKE_LEFTOVER: a late kernel warning of earlier work, logged before this binary starts
	[ -n "$FAKE_LEFTOVER" ] && kmsg 4 "leftover warning from earlier work"
	kmsg 6 "[IGT] $BIN: executing"
	# FAKE_FIXTURE_WARN: a kernel warning while the binary sets up, before any subtest
	[ -n "$FAKE_FIXTURE_WARN" ] && kmsg 4 "warning during setup"
	echo "IGT-Version: 0.1.0-fake (x86_64) (Linux: fake)"
	[ -n "$want" ] || want=$(echo $SUBTESTS | tr ' ' ',')
	ran=0
	for w in $(echo "$want" | tr ',' ' '); do
		for s in $SUBTESTS; do
			if [ "$s" = "$w" ]; then
				ran=1
				run_subtest "$s"
			fi
		done
	done
	if [ $ran = 0 ]; then
		echo "Unknown subtest: $want" >&2
		exit 79
	fi
	exit $FAKE_RC
}
