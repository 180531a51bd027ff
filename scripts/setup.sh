#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Idempotent setup: installs the Debian packages listed in scripts/debian-packages.txt that are
# missing, configures the meson build directory and builds it.
#
#   BUILD_DIR   build directory (default: build, relative to the repository root)
#   MESON_OPTS  extra `meson setup` options, e.g. "--werror" or
#               "-Db_sanitize=address,undefined -Db_lundef=false"
#
# A build directory configured with different MESON_OPTS is wiped and configured again, so the
# options in effect are always exactly the ones asked for.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
MESON_OPTS=${MESON_OPTS:-}

log() { echo "setup: $*"; }

# --- Debian packages -----------------------------------------------------------------------
native=$(dpkg --print-architecture 2>/dev/null || echo unknown)
missing=()
while read -r pkg; do
	pkg=${pkg%%#*}
	pkg=${pkg//[[:space:]]/}
	[ -n "$pkg" ] || continue
	# dpkg-query -W lists every installed instance, so multiarch installs are not ambiguous.
	if ! dpkg-query -W -f='${Architecture} ${db:Status-Status}\n' "$pkg" 2>/dev/null |
		grep -qE "^($native|all) installed$"; then
		missing+=("$pkg")
	fi
done < scripts/debian-packages.txt

if [ ${#missing[@]} -gt 0 ]; then
	log "installing missing packages: ${missing[*]}"
	SUDO=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || { log "not root and no sudo: install ${missing[*]}"; exit 1; }
		SUDO=(sudo)
	fi
	"${SUDO[@]}" apt-get update
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}"
else
	log "all Debian packages present"
fi

# --- meson setup ---------------------------------------------------------------------------
stamp="$BUILD_DIR/.setup-meson-opts"
# shellcheck disable=SC2206 # MESON_OPTS is a list of options on purpose
opts=($MESON_OPTS)
if [ ! -f "$BUILD_DIR/build.ninja" ] || [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
	if [ -d "$BUILD_DIR/meson-private" ]; then
		# A configuration that failed half-way: meson cannot --wipe it, start afresh.
		log "removing the unfinished build directory $BUILD_DIR"
		rm -rf "$BUILD_DIR"
	elif [ -e "$BUILD_DIR" ] && [ -n "$(ls -A "$BUILD_DIR")" ]; then
		log "$BUILD_DIR exists and is not a meson build directory; choose another BUILD_DIR"
		exit 1
	fi
	log "configuring $BUILD_DIR ${opts[*]}"
	meson setup "${opts[@]}" "$BUILD_DIR"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$MESON_OPTS" ]; then
	log "options changed, reconfiguring $BUILD_DIR from scratch with: ${opts[*]}"
	meson setup --wipe "${opts[@]}" "$BUILD_DIR"
else
	log "$BUILD_DIR already configured"
fi
printf '%s' "$MESON_OPTS" > "$stamp"

# --- build ---------------------------------------------------------------------------------
ninja -C "$BUILD_DIR"
