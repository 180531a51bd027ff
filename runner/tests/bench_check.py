#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The benchmarks as a user meets them: without a device and without any setup they find the
model as the runner does (through vpanthor-run), print each table once, and the bind-cost plot
says "model" in its title, spans the data and shows VM_BIND as text.

Usage: bench_check.py --bench PATH --plot SCRIPT
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--plot", required=True)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "VPANTHOR_SOCKET", "VPANTHOR_DAEMON")}
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "bind.dat")
        p = subprocess.run([os.path.abspath(args.bench), "--time", "0.02", "--max-live", "1000",
                            "--plot-data", data], env=env, capture_output=True, text=True,
                           timeout=300, cwd=tmp)
        if p.returncode != 0:
            fail("benchmark exited %d: %s" % (p.returncode, p.stderr))
        if "running on the vpanthor model" not in p.stderr:
            fail("the model was not found: %r" % p.stderr)
        if p.stdout.count("measurement") != 1 or "on vpanthor model" not in p.stdout:
            fail("one table, on the model: %r" % p.stdout)
        rows = [l for l in p.stdout.splitlines() if " us" in l or " ops/s" in l]
        if not rows:
            fail("no rows in the table: %r" % p.stdout)
        both = [r for r in rows if r.split()[0] in p.stderr and r.strip() in p.stderr]
        if both:
            fail("rows printed twice (stdout and stderr): %r" % both)
        svg = os.path.join(tmp, "bind.svg")
        subprocess.run(["sh", args.plot, data, svg], check=True, timeout=60, env=env)
        text = open(svg).read()
        if not re.search(r">VM_BIND map\+unmap cost per op vs live mappings on vpanthor model",
                         text):
            fail("plot title (model, VM_BIND as text) not found")
        if re.search(r"yrange \[0", open(args.plot).read()):
            fail("the plot's y axis starts at zero, not at the data")
    print("ok: benchmarks")


if __name__ == "__main__":
    main()
