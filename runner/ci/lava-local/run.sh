#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A real LAVA instance on this machine that runs the igt-panthor LAVA jobs on two arm64 QEMU
# devices (TCG): docs/lava-local.md. Debian 12 packages only; everything listens on 127.0.0.1.
#
#   runner/ci/lava-local/run.sh setup                 packages, builds, LAVA up and configured
#   runner/ci/lava-local/run.sh run [NAME]            two shards of the whole suite: must be green
#   runner/ci/lava-local/run.sh inject-quirk [QUIRK] [NAME]
#                                                     the same with VPANTHOR_QUIRKS=QUIRK in the
#                                                     jobs (default bo-offset-subtract): must be red
#   runner/ci/lava-local/run.sh ci                    setup, one shard of panthor_query, teardown
#   runner/ci/lava-local/run.sh status                services, devices, runs
#   runner/ci/lava-local/run.sh stop                  stop the processes this script started
#   runner/ci/lava-local/run.sh teardown              stop, and delete the state directory
#
# Sub-steps of setup, each idempotent: packages, build, kernel, rootfs, start, configure.
#
# Environment:
#   LAVA_LOCAL_DIR     state directory (default /var/tmp/igt-panthor-lava): builds, images,
#                      LAVA worker data, logs, runs. teardown deletes it.
#   LAVA_LOCAL_PORT    lava-server (gunicorn) port (default 18080); artifacts: port + 1
#   SHARDS             shards of `run` and `inject-quirk` (default 2)
#   SELECT             runner -t regex limiting the run (default: the whole suite)
#   PER_TEST_TIMEOUT   seconds (default 300: TCG is slow)
#   JOB_TIMEOUT        minutes of each LAVA job (default 150); its test action gets 125
#   JOBS_AT_ONCE       1: submit a shard's job when the previous one finished; 2: all at
#                      once (default)
#   HOST_BUILD_DIR     an x86-64 build whose runner merges the shards (default: the state
#                      directory's build-host, where only the runner is built)
#
# Every wait has a deadline; a failure prints what failed and where its log is.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
STATE=${LAVA_LOCAL_DIR:-/var/tmp/igt-panthor-lava}
PORT=${LAVA_LOCAL_PORT:-18080}
ART_PORT=$((PORT + 1))
SHARDS=${SHARDS:-2}
SELECT=${SELECT:-}
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-300}
JOB_TIMEOUT=${JOB_TIMEOUT:-150}
# 1: a shard's job is submitted when the previous one finished (no faster, no fewer model job
# timeouts on this 2-core machine: docs/lava-local.md); 2: all at once, on both devices
JOBS_AT_ONCE=${JOBS_AT_ONCE:-2}
PY=/usr/bin/python3	# LAVA's modules live in Debian's interpreter only
WORKER=lava-local
DEVICES=(qemu-01 qemu-02)
LAVA_USER=igt-panthor
GUEST_FWD=10.0.2.100	# the guest's address of the artifact server (QEMU user net, guestfwd)
DEBIAN_PKGS=(lava-server lava-dispatcher lavacli lava-common python3-yaml postgresql
	     qemu-system-arm qemu-user-static binfmt-support mmdebstrap arch-test cpio
	     crossbuild-essential-arm64 libdrm-dev:arm64 libkmod-dev:arm64 libproc2-dev:arm64
	     libjansson-dev:arm64 libunwind-dev:arm64 libdw-dev:arm64 meson ninja-build pkg-config
	     gcc libc6-dev libjansson-dev libunwind-dev libdw-dev wget)
ROOTFS_PKGS=systemd-sysv,udev,kmod,wget,libdrm2,libkmod2,libproc2-0,libjansson4,libunwind8,libdw1,procps,iproute2
# what the guest needs of the kernel's modules: a virtio NIC on QEMU's PCI bus
GUEST_MODULES=(virtio_pci virtio_net)

log() { echo "lava-local: $*"; }
die() { echo "lava-local: error: $*" >&2; exit 1; }

declare -A T	# phase -> seconds
phase_t0=0
begin() { phase_t0=$SECONDS; log "--- $1"; }
end() { T[$1]=$((SECONDS - phase_t0)); log "    $1: ${T[$1]} s"; }

# wait_for DEADLINE_S WHAT CMD...: runs CMD every 2 s until it succeeds or the deadline passes.
wait_for() {
	local deadline=$((SECONDS + $1)) what=$2

	shift 2
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 2
	done
	log "$what: ok"
}

[ "$(id -u)" -eq 0 ] || die "run as root: LAVA's dispatcher, PostgreSQL and apt need it"

lava_manage() { lava-server manage "$@"; }
token() { cat "$STATE/lava/token" 2>/dev/null; }
lavacli_() { lavacli --uri "http://$LAVA_USER:$(token)@127.0.0.1:$PORT/RPC2" "$@"; }

# --- packages --------------------------------------------------------------------------------
step_packages() {
	local missing=() pkg

	begin packages
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	for pkg in "${DEBIAN_PKGS[@]}"; do
		# dpkg-query -W lists every architecture's instance (dpkg -s refuses an ambiguous name)
		dpkg-query -W -f='${db:Status-Status}\n' "$pkg" 2>/dev/null | grep -qx installed ||
			missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing: ${missing[*]}"
		apt-get update -q >/dev/null || die "apt-get update failed"
		# lava-server's postinst creates its database: PostgreSQL must run first
		if printf '%s\n' "${missing[@]}" | grep -qx lava-server; then
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				postgresql >/dev/null || die "apt-get install postgresql failed"
			start_postgres
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"${missing[@]}" > "$STATE/apt.log" 2>&1 ||
			die "apt-get install failed: see $STATE/apt.log"
	else
		log "all packages present"
	fi
	# mmdebstrap runs the arm64 root filesystem's maintainer scripts through qemu-user
	if ! [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
		[ -e /proc/sys/fs/binfmt_misc/status ] ||
			mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
			die "binfmt_misc cannot be mounted: arm64 programs cannot run here"
		update-binfmts --enable qemu-aarch64 || die "update-binfmts --enable qemu-aarch64 failed"
	fi
	end packages
}

# --- build: the arm64 install tarball (prefix /opt/igt-panthor) ------------------------------
step_build() {
	local b=$STATE/build-arm64

	begin build
	if [ ! -f "$b/build.ninja" ]; then
		rm -rf "$b"
		nice -n 10 meson setup "$b" "$ROOT" --cross-file "$ROOT/scripts/cross-arm64.txt" \
			--prefix /opt/igt-panthor -Dbuildtype=debugoptimized > "$STATE/build.log" ||
			die "meson setup failed: see $STATE/build.log"
	fi
	nice -n 10 ninja -C "$b" >> "$STATE/build.log" || die "arm64 build failed: see $STATE/build.log"
	rm -rf "$STATE/stage"
	DESTDIR=$STATE/stage nice -n 10 ninja -C "$b" install >> "$STATE/build.log" ||
		die "install failed: see $STATE/build.log"
	mkdir -p "$STATE/www"
	tar -C "$STATE/stage/opt/igt-panthor" -czf "$STATE/www/igt-panthor.tar.gz.part" . &&
		mv "$STATE/www/igt-panthor.tar.gz.part" "$STATE/www/igt-panthor.tar.gz"
	[ -x "$STATE/stage/opt/igt-panthor/bin/igt_panthor_lava_jobs" ] ||
		die "the install has no bin/igt_panthor_lava_jobs"
	# the host's runner, for merging: only the runner target of an x86-64 build
	if [ -z "${HOST_BUILD_DIR:-}" ]; then
		[ -f "$STATE/build-host/build.ninja" ] ||
			meson setup "$STATE/build-host" "$ROOT" >> "$STATE/build.log" ||
			die "host meson setup failed: see $STATE/build.log"
		nice -n 10 ninja -C "$STATE/build-host" runner/igt_panthor_runner >> "$STATE/build.log" ||
			die "host runner build failed: see $STATE/build.log"
	fi
	log "igt-panthor.tar.gz: $(du -h "$STATE/www/igt-panthor.tar.gz" | cut -f1)"
	end build
}

host_runner() { echo "${HOST_BUILD_DIR:-$STATE/build-host}/runner/igt_panthor_runner"; }

# --- kernel: Debian's prebuilt arm64 kernel (linux-image-arm64), not compiled here -----------
kernel_version() { ls "$STATE/kernel/x/lib/modules" 2>/dev/null | head -n1; }

step_kernel() {
	local pkg

	begin kernel
	mkdir -p "$STATE/kernel" "$STATE/www"
	if [ -z "$(kernel_version)" ]; then
		pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -n1)
		[ -n "$pkg" ] || die "apt-cache knows no linux-image-arm64:arm64 (is arm64 added to dpkg?)"
		log "kernel package: $pkg"
		(cd "$STATE/kernel" && apt-get download "$pkg:arm64" >/dev/null 2>&1) ||
			die "apt-get download $pkg:arm64 failed"
		rm -rf "$STATE/kernel/x"
		dpkg-deb -x "$STATE"/kernel/"$pkg"_*_arm64.deb "$STATE/kernel/x"
		rm -f "$STATE"/kernel/*.deb
	fi
	# the package's postinst would index the modules: do it on the extracted tree
	[ -s "$STATE/kernel/x/lib/modules/$(kernel_version)/modules.dep" ] ||
		depmod -b "$STATE/kernel/x" "$(kernel_version)" || die "depmod of the kernel's modules failed"
	cp "$STATE/kernel/x/boot/vmlinuz-$(kernel_version)" "$STATE/www/Image"
	log "kernel $(kernel_version): $(du -h "$STATE/www/Image" | cut -f1)"
	end kernel
}

# The modules GUEST_MODULES need, with their dependencies, from modules.dep.
guest_module_files() {
	local dep=$1/modules.dep want=("${@:2}") seen=() m line f

	while [ ${#want[@]} -gt 0 ]; do
		m=${want[0]}
		want=("${want[@]:1}")
		[[ " ${seen[*]} " == *" $m "* ]] && continue
		seen+=("$m")
		line=$(grep -E "(^|/)${m//_/[_-]}\.ko(\.[a-z]+)?:" "$dep" | head -n1) ||
			die "module $m is not in $dep"
		f=${line%%:*}
		echo "$f"
		for f in ${line#*:}; do
			f=${f##*/}
			want+=("${f%%.ko*}")
		done
	done
}

# --- rootfs: Debian bookworm arm64 (mmdebstrap), the suite comes from the igt URL ------------
step_rootfs() {
	local r=$STATE/rootfs kv f mods

	begin rootfs
	kv=$(kernel_version)
	[ -n "$kv" ] || die "no kernel yet: run the kernel step first"
	if [ ! -f "$r.done" ]; then
		rm -rf "$r"
		nice -n 10 mmdebstrap --variant=minbase --architectures=arm64 --include="$ROOTFS_PKGS" \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-include=/usr/share/doc/*/copyright' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			bookworm "$r" /etc/apt/sources.list.d/debian.sources \
			> "$STATE/mmdebstrap.log" 2>&1 || die "mmdebstrap failed: see $STATE/mmdebstrap.log"
		touch "$r.done"
	fi
	# A root login without password on the serial console (LAVA's auto_login sends "root").
	sed -i 's/^root:[^:]*:/root::/' "$r/etc/shadow"
	echo lava-guest > "$r/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tlava-guest\n' > "$r/etc/hosts"
	# The kernel runs /init of the initramfs: the whole root filesystem is the initramfs.
	ln -sfn /sbin/init "$r/init"
	# DHCP from QEMU's user network; the console login waits for it (the job's first
	# step downloads the suite), at most systemd-networkd-wait-online's 120 s.
	mkdir -p "$r/etc/systemd/network" "$r/etc/systemd/system/multi-user.target.wants" \
		"$r/etc/systemd/system/sockets.target.wants" \
		"$r/etc/systemd/system/serial-getty@ttyAMA0.service.d"
	printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\n' > "$r/etc/systemd/network/20-wired.network"
	ln -sfn /lib/systemd/system/systemd-networkd.service \
		"$r/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
	ln -sfn /lib/systemd/system/systemd-networkd.socket \
		"$r/etc/systemd/system/sockets.target.wants/systemd-networkd.socket"
	printf '[Unit]\nWants=systemd-networkd-wait-online.service\nAfter=systemd-networkd-wait-online.service\n' \
		> "$r/etc/systemd/system/serial-getty@ttyAMA0.service.d/network.conf"
	# Nothing periodic in a guest that lives for one job.
	for f in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
		 e2scrub_reap.service getty@tty1.service; do
		ln -sfn /dev/null "$r/etc/systemd/system/$f"
	done
	rm -rf "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/*_Packages
	# The kernel's modules for a virtio NIC, and their index.
	rm -rf "$r/lib/modules"
	mkdir -p "$r/lib/modules/$kv"
	cp "$STATE/kernel/x/lib/modules/$kv"/modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$kv/"
	mods=$(guest_module_files "$STATE/kernel/x/lib/modules/$kv" "${GUEST_MODULES[@]}") ||
		die "cannot resolve the guest's modules (${GUEST_MODULES[*]})"
	for f in $mods; do
		mkdir -p "$r/lib/modules/$kv/$(dirname "$f")"
		cp "$STATE/kernel/x/lib/modules/$kv/$f" "$r/lib/modules/$kv/$f"
	done
	log "guest modules: $(echo $mods | tr ' ' '\n' | sed 's|.*/||' | tr '\n' ' ')"
	depmod -b "$r" "$kv" || die "depmod of the guest's modules failed"
	(cd "$r" && find . -xdev -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --quiet | gzip -1) > "$STATE/www/rootfs.cpio.gz.part"
	mv "$STATE/www/rootfs.cpio.gz.part" "$STATE/www/rootfs.cpio.gz"
	log "rootfs.cpio.gz: $(du -h "$STATE/www/rootfs.cpio.gz" | cut -f1) ($(du -sh "$r" | cut -f1) unpacked)"
	end rootfs
}

# --- services --------------------------------------------------------------------------------
pidfile() { echo "$STATE/pids/$1.pid"; }
running() { local p; p=$(cat "$(pidfile "$1")" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

# start NAME CMD...: a process of this script, in its own session, logging to lava/NAME.log
start() {
	local name=$1

	shift
	mkdir -p "$STATE/pids" "$STATE/lava"
	if running "$name"; then
		log "$name: already running (pid $(cat "$(pidfile "$name")"))"
		return
	fi
	setsid "$@" >> "$STATE/lava/$name.log" 2>&1 < /dev/null &
	echo $! > "$(pidfile "$name")"
	log "$name: started (pid $!), log $STATE/lava/$name.log"
}

start_postgres() {
	local v

	pg_lsclusters -h 2>/dev/null | grep -q ' online ' && return
	v=$(pg_lsclusters -h | awk '{print $1; exit}')
	[ -n "$v" ] || die "no PostgreSQL cluster (pg_lsclusters is empty)"
	pg_ctlcluster "$v" main start || die "pg_ctlcluster $v main start failed"
	mkdir -p "$STATE"
	echo "$v" > "$STATE/postgres-started-by-us"
	log "postgresql $v: started"
}

http_ok() { wget -q -O /dev/null --timeout=5 "$1"; }

step_start() {
	begin start
	mkdir -p "$STATE/lava" "$STATE/uploads"
	start_postgres
	start gunicorn gunicorn3 lava_server.wsgi --bind "127.0.0.1:$PORT" -u lavaserver \
		-g lavaserver --workers 2 --timeout 300 --log-level INFO
	wait_for 120 "lava-server on 127.0.0.1:$PORT" http_ok "http://127.0.0.1:$PORT/api/v0.2/" ||
		die "lava-server does not answer on 127.0.0.1:$PORT within 120 s: see $STATE/lava/gunicorn.log"
	start scheduler lava-server manage lava-scheduler --level INFO
	start artifacts "$PY" "$HERE/artifacts.py" serve --port "$ART_PORT" --root "$STATE"
	wait_for 30 "artifact server on 127.0.0.1:$ART_PORT" \
		http_ok "http://127.0.0.1:$ART_PORT/igt-panthor.tar.gz" ||
		die "the artifact server does not serve $STATE/www within 30 s: see $STATE/lava/artifacts.log"
	end start
}

# --- configure: user and token, worker, device type, devices ---------------------------------
device_dict() {
	local i=$1

	cat <<-EOF
	{# generated by runner/ci/lava-local/run.sh #}
	{% extends 'qemu.jinja2' %}
	{% set mac_addr = '52:54:00:12:34:0$i' %}
	{% set memory = 1536 %}
	{# QEMU's user network, restricted: the guest reaches the artifact server through
	   guestfwd and nothing else (no route to the host or beyond) #}
	{% set netdevice = 'user,restrict=on,guestfwd=tcp:$GUEST_FWD:80-cmd:$STATE/bin/guestfwd' %}
	EOF
}

step_configure() {
	local i dev

	begin configure
	running gunicorn || die "lava-server is not running: run '$0 start' first"
	if ! lava_manage users details "$LAVA_USER" >/dev/null 2>&1; then
		lava_manage users add --superuser --staff --passwd "$(head -c 12 /dev/urandom | base64)" \
			"$LAVA_USER" >/dev/null || die "cannot create the LAVA user $LAVA_USER"
	fi
	if [ ! -s "$STATE/lava/token" ]; then
		lava_manage tokens add --user "$LAVA_USER" --description lava-local > "$STATE/lava/token" ||
			die "cannot create a token for $LAVA_USER"
	fi
	lava_manage workers details "$WORKER" >/dev/null 2>&1 ||
		lava_manage workers add --description "igt-panthor lava-local" "$WORKER" >/dev/null ||
		die "cannot add the worker $WORKER"
	lava_manage workers details "$WORKER" | sed -n 's/^token *: *//p' > "$STATE/lava/worker-token"
	[ -s "$STATE/lava/worker-token" ] || die "no token for the worker $WORKER"
	lava_manage device-types details qemu >/dev/null 2>&1 ||
		lava_manage device-types add qemu >/dev/null || die "cannot add the device type qemu"
	mkdir -p "$STATE/bin"
	printf '#!/bin/sh\nexec %s %s relay --port %s\n' "$PY" "$HERE/artifacts.py" "$ART_PORT" \
		> "$STATE/bin/guestfwd"
	chmod +x "$STATE/bin/guestfwd"
	i=0
	for dev in "${DEVICES[@]}"; do
		i=$((i + 1))
		device_dict "$i" > "/etc/lava-server/dispatcher-config/devices/$dev.jinja2"
		lava_manage devices details "$dev" >/dev/null 2>&1 ||
			lava_manage devices add --device-type qemu --worker "$WORKER" "$dev" >/dev/null ||
			die "cannot add the device $dev"
		lava_manage devices update --health GOOD "$dev" >/dev/null ||
			die "cannot set $dev to health GOOD"
	done
	# QEMU inherits the worker's niceness: the guests yield to the machine's other work
	start worker nice -n 10 lava-worker --name "$WORKER" --url "http://127.0.0.1:$PORT/" \
		--token-file "$STATE/lava/worker-token" --worker-dir "$STATE/lava/worker" --level INFO
	wait_for 120 "worker $WORKER online" worker_online ||
		die "the worker $WORKER is not online within 120 s: see $STATE/lava/worker.log"
	end configure
}

worker_online() { lavacli_ workers show "$WORKER" | grep -qi 'state *: *Online'; }

# --- run: generate, submit, wait, collect, merge, check --------------------------------------
# wait_job ID DEADLINE DIR: until the job is Finished; its log goes to DIR/lava; fails unless
# its health is Complete.
wait_job() {
	local id=$1 deadline=$2 dir=$3 state health

	while :; do
		state=$(lavacli_ jobs show "$id" --yaml | sed -n 's/^state: *//p')
		[ "$state" = Finished ] && break
		[ $SECONDS -lt "$deadline" ] || die "job $id is still '$state' after the deadline"
		sleep 15
	done
	health=$(lavacli_ jobs show "$id" --yaml | sed -n 's/^health: *//p')
	log "job $id: $state, health $health"
	lavacli_ jobs logs --raw "$id" > "$dir/lava/job-$id.log" 2>/dev/null || true
	[ "$health" = Complete ] || die "job $id ended with health '$health': see $dir/lava/job-$id.log"
}

# run_jobs NAME EXPECT [generator args...]: EXPECT is green or red
run_jobs() {
	local name=$1 expect=$2 dir=$STATE/runs/$1 gen ids=() id k f deadline sel=()

	shift 2
	running worker || die "LAVA is not running: run '$0 setup' first"
	rm -rf "$dir" "$STATE/uploads/$name"
	mkdir -p "$dir/jobs" "$dir/lava" "$dir/shards"
	gen=$STATE/stage/opt/igt-panthor/bin/igt_panthor_lava_jobs
	[ -n "$SELECT" ] && sel=(--runner-arg=-t "--runner-arg=$SELECT")

	begin "run $name: generate"
	# The installed generator, as a farm runs it; only the device type and URLs are local.
	"$PY" "$gen" --device-type qemu --shards "$SHARDS" --output-dir "$dir/jobs" \
		--name-prefix "igt-panthor-$name" \
		--kernel-url "http://127.0.0.1:$ART_PORT/Image" \
		--rootfs-url "http://127.0.0.1:$ART_PORT/rootfs.cpio.gz" \
		--igt-url "http://$GUEST_FWD/igt-panthor.tar.gz" \
		--upload-url "http://$GUEST_FWD/uploads/$name" \
		--per-test-timeout "$PER_TEST_TIMEOUT" --job-timeout "$JOB_TIMEOUT" \
		--deploy-timeout 10 --boot-timeout 10 --test-timeout $((JOB_TIMEOUT - 25)) \
		"${sel[@]}" "$@" > "$dir/jobs.txt" || die "the generator failed"
	"$PY" "$gen" --check "$dir"/jobs/*.yaml || die "the generated jobs do not validate"
	end "generate"

	begin "run $name: submit and wait"
	# a job may wait for a device, then runs at most JOB_TIMEOUT: both bounded
	deadline=$((SECONDS + (JOB_TIMEOUT * SHARDS + 10) * 60))
	for f in "$dir"/jobs/*.yaml; do
		id=$(lavacli_ jobs submit "$f") || die "lavacli jobs submit $f failed"
		log "submitted $(basename "$f"): job $id"
		ids+=("$id")
		echo "$id $(basename "$f")" >> "$dir/job-ids.txt"
		[ "$JOBS_AT_ONCE" -gt 1 ] || wait_job "$id" "$deadline" "$dir"
	done
	if [ "$JOBS_AT_ONCE" -gt 1 ]; then
		for id in "${ids[@]}"; do
			wait_job "$id" "$deadline" "$dir"
		done
	fi
	end "submit and wait"

	begin "run $name: results"
	for id in "${ids[@]}"; do
		lavacli_ results "$id" --yaml > "$dir/lava/results-$id.yaml" ||
			die "lavacli results $id failed"
	done
	for k in $(seq 1 "$SHARDS"); do
		f=$STATE/uploads/$name/qemu-shard-$k-of-$SHARDS.tar.gz
		[ -s "$f" ] || die "shard $k did not upload its results ($f missing)"
		mkdir -p "$dir/shards/$k"
		tar -C "$dir/shards/$k" -xzf "$f"
	done
	local merge=()
	for k in $(seq 1 "$SHARDS"); do
		merge+=(--merge "$dir/shards/$k")
	done
	local rc=0 share=$ROOT/runner/ci
	"$(host_runner)" "${merge[@]}" --baseline "$share/vpanthor-fails.txt" \
		--flakes "$share/vpanthor-flakes.txt" --skips "$share/vpanthor-skips.txt" \
		--name "lava-local-$name" --overwrite "$dir/merged" > "$dir/merge.txt" || rc=$?
	cat "$dir/merge.txt"
	[ -f "$dir/merged/results.json" ] || die "the merge wrote no results.json (exit $rc)"
	"$(host_runner)" --list --no-model --test-root "$STATE/build-arm64/tests" "${sel[@]/--runner-arg=/}" \
		> "$dir/selection.txt" 2>/dev/null ||
		die "cannot list the selection with the arm64 runner (qemu-user)"
	"$PY" "$HERE/check_run.py" --expect "$expect" --selection "$dir/selection.txt" \
		--merged "$dir/merged" --merge-exit "$rc" "$dir"/lava/results-*.yaml | tee "$dir/check.txt"
	local crc=${PIPESTATUS[0]}
	end results
	log "run $name: jobs ${ids[*]}; merged results in $dir/merged (report.html, junit.xml)"
	return "$crc"
}

# --- status, stop, teardown --------------------------------------------------------------------
cmd_status() {
	local n

	for n in gunicorn scheduler worker artifacts; do
		if running "$n"; then echo "$n: running (pid $(cat "$(pidfile "$n")"))"
		else echo "$n: stopped"; fi
	done
	if running gunicorn && [ -s "$STATE/lava/token" ]; then
		lavacli_ devices list 2>&1 || true
		lavacli_ jobs list --limit 6 2>&1 || true
	fi
	ls "$STATE/runs" 2>/dev/null | sed 's/^/run: /' || true
	du -sh "$STATE" 2>/dev/null || true
}

cmd_stop() {
	local n p deadline

	for n in worker scheduler artifacts gunicorn; do
		p=$(cat "$(pidfile "$n")" 2>/dev/null) || continue
		if kill -0 "$p" 2>/dev/null; then
			# each service is a session of its own: signal that session's group
			kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
			deadline=$((SECONDS + 30))
			while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
			kill -0 "$p" 2>/dev/null && kill -KILL -- "-$p" 2>/dev/null
			log "$n (pid $p): stopped"
		fi
		rm -f "$(pidfile "$n")"
	done
	if [ -f "$STATE/postgres-started-by-us" ]; then
		pg_ctlcluster "$(cat "$STATE/postgres-started-by-us")" main stop &&
			log "postgresql: stopped" && rm -f "$STATE/postgres-started-by-us"
	fi
}

cmd_teardown() {
	local ids

	cmd_stop
	# what LAVA keeps of our jobs: their logs under lava-server's job-output
	ids=$(cat "$STATE"/runs/*/job-ids.txt 2>/dev/null | awk '{print $1}') || true
	for id in $ids; do
		rm -rf /var/lib/lava-server/default/media/job-output/*/*/*/"$id"
	done
	rm -f /etc/lava-server/dispatcher-config/devices/qemu-0[12].jinja2
	rm -rf "$STATE"
	log "teardown: processes stopped, $STATE removed (the Debian packages and LAVA's database stay)"
}

print_times() {
	local k out=""

	for k in "${!T[@]}"; do out+="$k ${T[$k]} s; "; done
	log "phase times: $out total $SECONDS s; disk: $(du -sh "$STATE" 2>/dev/null | cut -f1) in $STATE"
}

setup_all() {
	mkdir -p "$STATE"
	step_packages
	step_build
	step_kernel
	step_rootfs
	step_start
	step_configure
}

mkdir -p "$STATE"
cmd=${1:-}
shift || true
case "$cmd" in
setup) setup_all; print_times ;;
packages) step_packages ;;
build) step_build ;;
kernel) step_kernel ;;
rootfs) step_rootfs ;;
start) step_start ;;
configure) step_configure ;;
run)
	run_jobs "${1:-full}" green
	print_times ;;
inject-quirk)
	quirk=${1:-bo-offset-subtract}
	run_jobs "${2:-quirk-$quirk}" red --env "VPANTHOR_QUIRKS=$quirk"
	print_times ;;
ci)
	rc=0
	setup_all
	SHARDS=1 SELECT=${SELECT:-panthor_query} run_jobs ci green || rc=$?
	print_times
	[ $rc -eq 0 ] && cmd_teardown
	exit $rc ;;
status) cmd_status ;;
stop) cmd_stop ;;
teardown) cmd_teardown ;;
*)
	sed -n '3,30p' "$0" | sed 's/^# \{0,1\}//'
	[ -z "$cmd" ] || [ "$cmd" = help ] || exit 2 ;;
esac
