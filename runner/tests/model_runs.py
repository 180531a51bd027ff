#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The runner on the real model with real test binaries: --jobs N runs tests at once, each on a
device of its own (its kernel log holds its own markers only), with the same results as one at
a time; and a run leaves /tmp as it found it.

Usage: model_runs.py CASE --runner PATH --test-root DIR
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARGS = None
SELECTION = ["-t", "panthor_(query|vm)@"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(tmp, name, *extra):
    out = os.path.join(tmp, name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "VPANTHOR_SOCKET", "VPANTHOR_DAEMON")}
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    p = subprocess.Popen([ARGS.runner, "--test-root", ARGS.test_root, "--model", "--no-progress",
                          *SELECTION, *extra, out], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    stdout, stderr = p.communicate(timeout=600)
    if p.returncode != 0:
        fail("runner exited %d:\n%s%s" % (p.returncode, stdout, stderr))
    if os.path.exists("/tmp/igt-panthor-run-%d" % p.pid):
        fail("/tmp/igt-panthor-run-%d left behind" % p.pid)
    with open(os.path.join(out, "results.json")) as f:
        return json.load(f), out, stderr


def case_jobs(tmp):
    one, _, _ = run(tmp, "one")
    two, out, err = run(tmp, "two", "--jobs", "2")
    if "one at a time" in err:
        fail("--jobs 2 on the model was serialised: " + err)
    r1 = {k: v["result"] for k, v in one["tests"].items()}
    r2 = {k: v["result"] for k, v in two["tests"].items()}
    if r1 != r2:
        fail("results differ between --jobs 1 and --jobs 2")
    if "jobs" not in two["igt_panthor"]["config"]:
        fail("the slots are not recorded: %r" % two["igt_panthor"]["config"])
    # every job's kernel log carries its own subtest's marker and no other's
    with open(os.path.join(out, "joblist.txt")) as f:
        jobs = [l.split() for l in f if l.startswith("run ")]
    for i, job in enumerate(jobs):
        with open(os.path.join(out, str(i), "dmesg.txt")) as f:
            marks = re.findall(r"starting subtest (\S+)", f.read())
        if marks != [job[3]]:
            fail("job %d (%s) saw the markers %r: its device is not its own" % (i, job[3], marks))
    print("ok: jobs (%d jobs, each with its own kernel log)" % len(jobs))


def case_tmp_clean(tmp):
    before = set(os.listdir("/tmp"))
    run(tmp, "clean")
    mine = [n for n in set(os.listdir("/tmp")) - before if n.startswith("igt-panthor-run")]
    if mine:
        fail("left in /tmp: %r" % mine)
    print("ok: tmp_clean")


CASES = {n[5:]: f for n, f in globals().items() if n.startswith("case_")}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--runner", required=True)
    ap.add_argument("--test-root", required=True)
    ARGS = ap.parse_args()
    ARGS.runner = os.path.abspath(ARGS.runner)
    ARGS.test_root = os.path.abspath(ARGS.test_root)
    tmp = tempfile.mkdtemp(prefix="model-runs-")
    try:
        CASES[ARGS.case](tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
