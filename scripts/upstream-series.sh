#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Turns tests/panthor and the panthor helper library into a `git format-patch` series for an
# IGT GPU Tools tree, laid out as upstream lays out panthor:
#
#   1  include/drm-uapi/panthor_drm.h   the uAPI header, as its own sync patch
#   2  lib/<helper files> + lib/meson.build   the helper library (lib/igt_panthor.{c,h}
#      replaced, the other helpers added next to it, their sources added to lib_sources)
#   3… tests/panthor/<binary>.c + tests/panthor/meson.build   one patch per test binary
#
# Every step keeps the tree building: the helper library keeps upstream's igt_panthor.h API, so
# upstream's own panthor tests still build on patch 2, and each test patch replaces or adds one
# binary. The helper files come from lib/meson.build (panthor_lib_sources/_headers), the
# binaries from tests/panthor/meson.build (panthor_progs).
#
# The IGT tree is only read: the series is built in a temporary clone of its HEAD. Before IGT
# 2.3 (Dec 2025) the block macros had no parentheses (`igt_main`, `igt_fixture`,
# `igt_subtest_group`); for such a tree the test files are rewritten to that form
# (--syntax=auto, the default, decides from the tree's lib/igt_core.h).
#
# usage: scripts/upstream-series.sh [-o OUTDIR] [--syntax auto|2.3|pre-2.3] IGT_TREE
#   OUTDIR defaults to ./upstream-series; it is emptied of *.patch first.
# Then, in the IGT tree: git am every OUTDIR/*.patch but 0000-cover-letter.patch
# (docs/upstream-compat.md: applying and building).

set -euo pipefail

usage() {
	sed -n '3,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$PWD/upstream-series
syntax=auto
igt=

while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$(realpath -m "$2"); shift 2 ;;
	--syntax=*) syntax=${1#--syntax=}; shift ;;
	-h|--help) usage ;;
	-*) echo "upstream-series: unknown option $1" >&2; usage ;;
	*) igt=$1; shift ;;
	esac
done
[ -n "$igt" ] || usage
git -C "$igt" rev-parse --verify -q HEAD >/dev/null ||
	{ echo "upstream-series: $igt is not a git tree" >&2; exit 1; }
git -C "$igt" cat-file -e HEAD:lib/igt_core.h 2>/dev/null ||
	{ echo "upstream-series: $igt has no lib/igt_core.h: not an IGT tree" >&2; exit 1; }

# The quoted names of a meson list: meson_list FILE VARIABLE
meson_list() {
	sed -n "/^$2 = \[/,/\]/p" "$1" | grep -o "'[^']*'" | tr -d "'"
}

# Adds names to a meson list, one per line, keeping it sorted: meson_list_add FILE VARIABLE NAME…
# With --after ENTRY instead of sorting, inserts them right after ENTRY's line.
meson_list_add() {
	python3 - "$@" <<-'PY'
	import re, sys
	path, var, names = sys.argv[1], sys.argv[2], sys.argv[3:]
	after = None
	if names[:1] == ['--after']:
	    after, names = names[1], names[2:]
	lines = open(path).read().split('\n')
	start = next(i for i, l in enumerate(lines) if re.match(var + r'\s*=\s*\[', l))
	end = next(i for i in range(start, len(lines)) if ']' in lines[i])
	have = set(re.findall(r"'([^']*)'", '\n'.join(lines[start:end + 1])))
	new = ["\t'%s'," % n for n in names if n not in have]
	if not new:
	    sys.exit(0)
	if after:
	    at = next(i for i in range(start, end + 1) if "'%s'" % after in lines[i]) + 1
	    lines[at:at] = new
	else:
	    body = [l for l in lines[start + 1:end] if l.strip()] + new
	    lines[start + 1:end] = sorted(body, key=lambda l: l.strip())
	open(path, 'w').write('\n'.join(lines))
	PY
}

lib_files=$(meson_list "$root/lib/meson.build" panthor_lib_sources
	    meson_list "$root/lib/meson.build" panthor_lib_headers)
lib_sources=$(meson_list "$root/lib/meson.build" panthor_lib_sources)
progs=$(meson_list "$root/tests/panthor/meson.build" panthor_progs)
[ -n "$lib_sources" ] && [ -n "$progs" ] ||
	{ echo "upstream-series: cannot read the file lists from meson.build" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=$tmp/igt
# No checkout: the index comes from HEAD and only the files the series touches are written.
git clone -q --no-checkout --shared "$(cd "$igt" && pwd)" "$work"
cd "$work"
git read-tree HEAD
git checkout -q -B igt-panthor-series
base=$(git rev-parse HEAD)
git checkout -q HEAD -- lib/meson.build tests/meson.build
git checkout -q HEAD -- tests/panthor 2>/dev/null || true

if [ "$syntax" = auto ]; then
	if git show HEAD:lib/igt_core.h | grep -q '#define igt_fixture()'; then
		syntax=2.3
	else
		syntax=pre-2.3
	fi
fi
case $syntax in 2.3|pre-2.3) ;; *) echo "upstream-series: --syntax=$syntax?" >&2; exit 2 ;; esac

ident() {
	git -C "$root" config user.name >/dev/null && git -C "$root" config user.email >/dev/null ||
		{ echo "upstream-series: set git user.name/user.email" >&2; exit 1; }
	git config user.name "$(git -C "$root" config user.name)"
	git config user.email "$(git -C "$root" config user.email)"
}
ident

# Commits the index with the message on stdin, signed off by the configured identity.
commit() {
	{
		cat
		echo
		echo "Signed-off-by: $(git config user.name) <$(git config user.email)>"
	} | git commit -q -F -
}

# The first paragraph of a C file's leading comment, without a leading "<name>: ", as one line.
summary_of() {
	awk 'NR == 1 { next } /^ \*\/?$/ || /^ \*\// { if (n) exit; next }
	     /^ \* / { sub(/^ \* /, ""); printf "%s%s", (n++ ? " " : ""), $0 }' "$1"
}

# --- 1: the uAPI header
mkdir -p include/drm-uapi
cp "$root/include/drm-uapi/panthor_drm.h" include/drm-uapi/panthor_drm.h
git add include/drm-uapi/panthor_drm.h
if ! git diff --cached --quiet; then
	commit <<-EOF
	drm-uapi/panthor: sync panthor_drm.h with the 1.9 uAPI

	The panthor tests that follow need the uAPI up to driver version 1.9: BO_SET_LABEL,
	BO_SYNC, BO_QUERY_INFO, WB_MMAP, VM_GET_STATE, GROUP_GET_STATE, the MMU_INFO query and
	sparse mappings (DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE).

	This is igt-panthor's copy of the header. Before sending, replace it with the header of
	the kernel commit that has these additions ('make headers_install'), as
	include/drm-uapi/ syncs require, and name that commit here.
	EOF
fi

# --- 2: the helper library
for f in $lib_files; do
	cp "$root/lib/$f" "lib/$f"
	git add "lib/$f"
done
# lib_sources: the helper sources upstream lacks go right after 'igt_panthor.c'.
grep -q "^[[:space:]]*'igt_panthor.c',$" lib/meson.build ||
	{ echo "upstream-series: no 'igt_panthor.c' in the tree's lib_sources" >&2; exit 1; }
meson_list_add lib/meson.build lib_sources --after igt_panthor.c $lib_sources
git add lib/meson.build
commit <<-EOF
lib/panthor: helpers for the panthor tests

The panthor helper library of igt-panthor: device queries, BOs, VMs, VM_BIND (sync and
async, sparse), sync ops, groups and their state, tiler heaps, a VA allocator and a
ready-made GPU context (lib/igt_panthor.{c,h}); a command-stream builder (panthor_cs);
a GPU fault monitor over the kernel log and debugfs (panthor_fault, panthor_kmsg); the
reference VA map of the randomized bind tests (panthor_shadow).

igt_panthor.h keeps every declaration of the existing API (struct panthor_bo, the
igt_panthor_*() helpers with their 'int err' argument, the cs_*() encoders and struct
cs_instr) with the same signatures, so the existing tests build unchanged. Its additions come
in pairs: __igt_panthor_x() returns 0 or -errno, igt_panthor_x() asserts. Nothing outside
upstream's core API is used.
EOF

# --- 3…: the tests, one binary per patch
to_pre_2_3() {
	sed -E -i \
		-e 's/^int igt_main\(\)/igt_main/' \
		-e 's/^int igt_main_args\(/igt_main_args(/' \
		-e 's/^int igt_simple_main\(\)/igt_simple_main/' \
		-e 's/^int igt_simple_main_args\(/igt_simple_main_args(/' \
		-e 's/\bigt_fixture\(\)/igt_fixture/g' \
		-e 's/\bigt_subtest_group\(\)/igt_subtest_group/g' \
		"$1"
}

if ! git cat-file -e HEAD:tests/panthor/meson.build 2>/dev/null; then
	mkdir -p tests/panthor
	cat > tests/panthor/meson.build <<-'EOF'
	panthor_progs = [
	]

	foreach prog : panthor_progs
		test_executables += executable(prog, prog + '.c',
					       dependencies : test_deps,
					       install_dir : panthordir,
					       install_rpath : panthor_rpathdir,
					       install : true)
		test_list += join_paths('panthor', prog)
	endforeach
	EOF
	grep -q "subdir('panthor')" tests/meson.build ||
		{ echo "upstream-series: the tree's tests/meson.build has no subdir('panthor');" \
		       "it predates upstream's panthor support (Nov 2025)" >&2; exit 1; }
fi

# igt_subtest("name"), igt_subtest_f("fmt", ...), igt_subtest_with_dynamic(_f): \3 is the name.
subtest_re='igt_subtest\(_with_dynamic\)\{0,1\}\(_f\)\{0,1\}("\([^"]*\)"'
for prog in $progs; do
	existed=no
	git cat-file -e "HEAD:tests/panthor/$prog.c" 2>/dev/null && existed=yes
	cp "$root/tests/panthor/$prog.c" "tests/panthor/$prog.c"
	[ "$syntax" = pre-2.3 ] && to_pre_2_3 "tests/panthor/$prog.c"
	meson_list_add tests/panthor/meson.build panthor_progs "$prog"
	git add "tests/panthor/$prog.c" tests/panthor/meson.build
	what=$(summary_of "tests/panthor/$prog.c")
	what=${what#"$prog: "}
	{
		if [ $existed = yes ]; then
			echo "tests/panthor: rewrite $prog"
		else
			echo "tests/panthor: add $prog"
		fi
		echo
		echo "${what^}" | fmt -w 72
		echo
		if [ $existed = yes ]; then
			echo "This replaces the existing $prog.c; its subtests are covered by" \
			     "the ones below (igt-panthor's docs/upstream-compat.md maps each old" \
			     "name to the new one, to carry CI expectations over)." | fmt -w 72
			echo
		fi
		echo "Subtests:"
		sed -n "s/^[[:space:]]*$subtest_re.*/  \\3/p" "tests/panthor/$prog.c"
	} | commit
done

[ "$syntax" = pre-2.3 ] && syntax_note="
The test files use the block macros without parentheses (igt_main, igt_fixture,
igt_subtest_group), as this tree's lib/igt_core.h defines them." || syntax_note=

git config branch.igt-panthor-series.description "tests/panthor: the igt-panthor suite

The panthor tests and helper library of igt-panthor: $(echo $progs | wc -w) binaries covering
queries, BOs, VMs, VM_BIND (sync, async, huge pages, sparse), groups and scheduling, faults,
bad input for every ioctl and randomized bind sequences checked against a reference map.
Every subtest says why it exists (igt_describe), takes hardware values from queries, waits
with deadlines and checks memory through the GPU.$syntax_note"

mkdir -p "$out"
rm -f "$out"/*.patch
git format-patch -q --cover-letter --cover-from-description=subject \
	--subject-prefix="PATCH i-g-t" -o "$out" "$base"..HEAD
echo "upstream-series: $(ls "$out"/*.patch | wc -l) patches (cover letter included) in $out," \
     "for $(git -C "$igt" log -1 --format='%h %cs' HEAD), syntax $syntax"
ls "$out"
