#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The model under a foreign runner: foreign_host (a runner that reaps like igt_runner) runs real
test binaries on vpanthor, once with the model preloaded into the runner itself (the device is
then started from inside the runner) and once through vpanthor-run. Either way the runner must
never see a child it did not start: no "Failed to reap child", no stray SIGCHLD or child, nobody
in its process group, and a per-test timeout that kills a job's process group must not hurt it.

Usage: foreign_runner.py CASE --host PATH --run PATH --lib PATH --daemon PATH --query PATH
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARGS = None


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def jobs():
    q = ARGS.query
    return ["--timeout", "3",
            "--job", q + " --run-subtest gpu-info",
            "--job", "exec sleep 30",
            "--job", q + " --run-subtest gpu-info"]


def check_host(p):
    out = p.stdout
    print(out, end="")
    if p.returncode != 0:
        fail("foreign_host exited %d:\n%s%s" % (p.returncode, out, p.stderr))
    for bad in ("Failed to reap child", "stray SIGCHLD", "process group:"):
        if bad in out:
            fail("%r in the runner's output" % bad)
    if not re.search(r"job 0: finished, exit 0\n", out) or \
       not re.search(r"job 2: finished, exit 0\n", out):
        fail("the test binaries did not pass on the model")
    if "job 1: timeout (process group killed)" not in out:
        fail("the hanging job was not killed for its timeout")
    if "failed_to_reap=0 stray_sigchld=0 stray_children=0 pgrp_intruders=0" not in out:
        fail("summary: " + out)


def model_env(tmp):
    e = dict(os.environ)
    e["VPANTHOR_DAEMON"] = ARGS.daemon
    e["VPANTHOR_SOCKET"] = os.path.join(tmp, "dev.sock")
    e["ASAN_OPTIONS"] = e.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    return e


def case_preloaded_host(tmp):
    """The device starts from inside the runner (it opens the model's /dev/kmsg first)."""
    e = model_env(tmp)
    e["LD_PRELOAD"] = ARGS.lib
    p = subprocess.run([ARGS.host, "--open-kmsg"] + jobs(), env=e, capture_output=True,
                       text=True, timeout=120)
    check_host(p)
    if not os.path.exists(os.path.join(tmp, "dev.sock")):
        fail("no device was started from inside the runner")


def case_vpanthor_run(tmp):
    """vpanthor-run starts the device outside the runner and cleans up after it."""
    e = dict(os.environ)
    e.pop("VPANTHOR_SOCKET", None)
    e.pop("VPANTHOR_DAEMON", None)
    e.pop("LD_PRELOAD", None)
    e["ASAN_OPTIONS"] = e.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    p = subprocess.run([ARGS.run, "--", ARGS.host, "--open-kmsg"] + jobs() +
                       ["--job", "echo socket=$VPANTHOR_SOCKET preload=$LD_PRELOAD"],
                       env=e, capture_output=True, text=True, timeout=120)
    check_host(p)
    m = re.search(r"socket=(\S+) preload=(\S+)", p.stdout)
    if not m or ARGS.lib not in m.group(2).split(":"):
        fail("the command did not run under the model: %r" % p.stdout)
    if os.path.exists(os.path.dirname(m.group(1))):
        fail("vpanthor-run left %s behind" % os.path.dirname(m.group(1)))
    p = subprocess.run([ARGS.run, "--", "sh", "-c", "exit 7"], env=e, timeout=60)
    if p.returncode != 7:
        fail("vpanthor-run exit status %d, expected the command's 7" % p.returncode)
    log = os.path.join(tmp, "device.log")
    p = subprocess.run([ARGS.run, "--log", log, "--", "true"], env=e, timeout=60)
    if p.returncode != 0 or not os.path.exists(log):
        fail("--log did not keep the device log")
    p = subprocess.run([ARGS.run, "--", os.path.join(tmp, "no-such-program")], env=e,
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 127 or "cannot execute" not in p.stderr:
        fail("a missing command: exit %d, %r" % (p.returncode, p.stderr))


def case_job_starts_device(tmp):
    """Only the tests preload the model; the first one starts the device."""
    e = model_env(tmp)
    pre = "LD_PRELOAD=" + ARGS.lib + " "
    p = subprocess.run([ARGS.host, "--timeout", "3",
                        "--job", pre + ARGS.query + " --run-subtest gpu-info",
                        "--job", pre + "sh -c '" + ARGS.query + " --run-subtest gpu-info; "
                        "exec sleep 30'",
                        "--job", pre + ARGS.query + " --run-subtest gpu-info"],
                       env=e, capture_output=True, text=True, timeout=120)
    check_host(p)


CASES = {n[5:]: f for n, f in globals().items() if n.startswith("case_")}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    for a in ("host", "run", "lib", "daemon", "query"):
        ap.add_argument("--" + a, required=True)
    ARGS = ap.parse_args()
    for a in ("host", "run", "lib", "daemon", "query"):
        setattr(ARGS, a, os.path.abspath(getattr(ARGS, a)))
    tmp = tempfile.mkdtemp(prefix="foreign-")
    try:
        CASES[ARGS.case](tmp)
        print("ok: " + ARGS.case)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
