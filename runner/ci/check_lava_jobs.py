#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Validate the generated LAVA jobs with LAVA's own job schema.

Runs lava_jobs.py for the default board and for a second board, then checks
every job with lava_common.schemas.validate(job, strict=True) from Debian's
lava-common package (which lives in the system interpreter, /usr/bin/python3).
Also checks that validation is real: a job with a key removed or a test
timeout beyond the job timeout must be rejected. Exits non-zero on any
problem, including a missing lava_common (scripts/debian-packages.txt
installs it).
"""

import copy
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import yaml
    from lava_common.schemas import validate
except ImportError as e:
    print("FAIL: cannot import the LAVA job schema (%s). Install Debian's lava-common and "
          "python3-yaml (listed in scripts/debian-packages.txt) and run this with "
          "/usr/bin/python3." % e)
    sys.exit(1)

import lava_jobs  # noqa: E402


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def must_reject(job, what):
    try:
        validate(job, strict=True)
    except Exception:
        return
    fail("the schema accepted a job with %s: validation is not effective" % what)


def check_board(out, argv, board, shards):
    paths = lava_jobs.generate(["--output-dir", out] + argv)
    if len(paths) != shards:
        fail("%d jobs for %s, expected %d" % (len(paths), board, shards))
    seen = []
    for path in paths:
        with open(path) as f:
            job = yaml.safe_load(f)
        try:
            validate(job, strict=True)
        except Exception as e:
            fail("%s does not validate: %s" % (path, e))
        if job["device_type"] != board:
            fail("%s: device_type %r" % (path, job["device_type"]))
        steps = job["actions"][2]["test"]["definitions"][0]["repository"]["run"]["steps"]
        text = "\n".join(steps)
        shard = [s for s in range(1, shards + 1) if "--shard %d/%d " % (s, shards) in text]
        if len(shard) != 1:
            fail("%s: no single --shard K/%d in the test steps" % (path, shards))
        seen += shard
        if "lava-test-case" not in text or "results.csv" not in text:
            fail("%s: subtests are not reported with lava-test-case" % path)
        if "--no-model" not in text:
            fail("%s: a board job must never fall back to the model" % path)
        print("valid: %s" % path)
    if sorted(seen) != list(range(1, shards + 1)):
        fail("shards %s, expected 1..%d" % (seen, shards))
    return job


def main():
    with tempfile.TemporaryDirectory() as out:
        job = check_board(out, [], lava_jobs.DEFAULT_BOARD, 2)
        check_board(out, ["--board", "meson-g12b-a311d-khadas-vim3", "--shards", "3",
                          "--tag", "panthor"], "meson-g12b-a311d-khadas-vim3", 3)

        broken = copy.deepcopy(job)
        del broken["visibility"]
        must_reject(broken, "no visibility")
        broken = copy.deepcopy(job)
        broken["actions"][2]["test"]["timeout"] = {"minutes": 600}
        must_reject(broken, "a test timeout longer than the job timeout")
        broken = copy.deepcopy(job)
        broken["actions"][1]["boot"]["method"] = "no-such-method"
        must_reject(broken, "an unknown boot method")
    print("ok: LAVA jobs validate")


if __name__ == "__main__":
    main()
