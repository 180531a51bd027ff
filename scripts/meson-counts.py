#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Counts the results of a build directory's last `meson test` run, from meson's own log.

Usage: meson-counts.py BUILD_DIR [--line]
Prints "passed failed skipped" (for shell `read`), or with --line the sentence CI readers see:
"N passed, N failed, N skipped" (or a line saying that meson test did not run).
"""
import json
import os
import sys


def counts(build_dir):
    log = os.path.join(build_dir, 'meson-logs', 'testlog.json')
    if not os.path.exists(log):
        return None
    passed = failed = skipped = 0
    with open(log) as f:
        for line in f:
            if not line.strip():
                continue
            result = json.loads(line).get('result', '')
            if result in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != '--line'):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    c = counts(argv[1])
    if len(argv) == 3:
        print('no test results (meson test did not run)' if c is None else
              '%d passed, %d failed, %d skipped' % c)
    else:
        print('%d %d %d' % (c or (0, 0, 0)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
