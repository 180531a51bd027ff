#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Counts the results of a build directory's last `meson test` run, from meson's own log.

Usage: meson-counts.py BUILD_DIR [--line | --failures]
Prints "passed failed skipped" (for shell `read`), or with --line the sentence CI readers see:
"N passed, N failed, N skipped" (or a line saying that meson test did not run), or with
--failures each test that did not pass: its name, result, exit code and time, the lines of its
output that say why (failed subtests, IGT assertions, sanitizer reports), then its last lines.
CI prints the last form at its very end, where a reader of a truncated log still sees it.
"""
import json
import os
import re
import sys

# Lines of a test's output that say why it failed: IGT's subtest results and assertion
# messages, the runner's and the gate's verdicts, sanitizer and kernel-log reports.
WHY = re.compile(r'(Subtest \S+: (FAIL|CRASH|TIMEOUT)|Test assertion failure|'
                 r'Failed assertion|CRITICAL|ERROR: (Address|Leak|Thread)Sanitizer|'
                 r'runtime error:|SUMMARY: |not caught|FAIL:|Traceback|timed out)')


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


def failures(build_dir, why_max=40, tail=25):
    log = os.path.join(build_dir, 'meson-logs', 'testlog.json')
    if not os.path.exists(log):
        print('%s: no test results (meson test did not run)' % build_dir)
        return
    bad = []
    with open(log) as f:
        for line in f:
            if line.strip():
                t = json.loads(line)
                if t.get('result', '') not in ('OK', 'EXPECTEDFAIL', 'SKIP'):
                    bad.append(t)
    if not bad:
        print('%s: every meson test passed or skipped' % build_dir)
        return
    for t in bad:
        out = (t.get('stdout') or '') + (t.get('stderr') or '')
        lines = out.splitlines()
        print('--- %s: %s %s, exit %s, %.1f s' % (build_dir, t.get('name'), t.get('result'),
                                                t.get('returncode'), t.get('duration') or 0))
        # Once each: IGT repeats its assertion in the subtest's debug dump.
        why = list(dict.fromkeys(l for l in lines if WHY.search(l)))
        if why:
            print('    why (%d lines%s):' % (len(why), ', first %d' % why_max
                                           if len(why) > why_max else ''))
            for l in why[:why_max]:
                print('    | ' + l[:300])
        else:
            print('    why: no line of its output matched a known failure pattern')
        print('    last %d of %d lines:' % (min(tail, len(lines)), len(lines)))
        for l in lines[-tail:]:
            print('    | ' + l[:300])


def main(argv):
    opts = ('--line', '--failures')
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] not in opts):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if len(argv) == 3 and argv[2] == '--failures':
        failures(argv[1])
        return 0
    c = counts(argv[1])
    if len(argv) == 3:
        print('no test results (meson test did not run)' if c is None else
              '%d passed, %d failed, %d skipped' % c)
    else:
        print('%d %d %d' % (c or (0, 0, 0)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
