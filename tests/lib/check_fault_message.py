#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs each subtest of panthor_fault_message on the model and checks that it fails with a
message naming the VA, the access, the exception, the source and what the test expected at
that VA (which page of which mapping, or that the test unmapped it or never mapped it).

Usage: check_fault_message.py BINARY
"""

import re
import subprocess
import sys

HEAD = (r"GPU fault at VA (0x[0-9a-f]+): access READ, exception 0x[0-9a-f]+ \S+, "
        r"source id (0x[0-9a-f]+|0)[^;]*, AS \d+; the test expected there: ")
EXPECT = {
    "fault-in-mapping":
        r"group \d+ after the job: state 0x2, fatal_queues 0x1; " + HEAD +
        r"page 2 of 4 of the mapping at (0x[0-9a-f]+)\+0x4000 in VM \d+: BO \d+ at offset "
        r"0x2000",
    "fault-unmapped-by-test":
        r"group \d+ after the job: state 0x2, fatal_queues 0x1; " + HEAD +
        r"nothing: the test unmapped it \(unmap of (0x[0-9a-f]+)\+0x1000 in VM \d+\)",
    "fault-expect-none":
        r"1 unexpected GPU fault\(s\) reported \(sources: [^)]*\); first: " + HEAD +
        r"nothing: the test never mapped it",
}


def main():
    binary = sys.argv[1]
    bad = 0
    for sub, pattern in EXPECT.items():
        p = subprocess.run([binary, "--run-subtest", sub], capture_output=True, text=True,
                           timeout=120)
        text = p.stdout + p.stderr
        m = re.search(pattern, text)
        if p.returncode != 98 or not m:
            print("FAIL: %s: exit %d, message not found:\n  want: %s\n%s"
                  % (sub, p.returncode, pattern, text))
            bad += 1
            continue
        line = [l for l in text.splitlines() if m.group(0) in l][0]
        print("ok: %s: %s" % (sub, line))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
