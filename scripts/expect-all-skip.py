#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run a test binary and require that it skips cleanly: exit 77, at least one subtest, every
subtest SKIP with a reason on stdout. Used to check that a feature gate (e.g. the driver
version) turns a whole binary into clean skips."""

import os
import re
import subprocess
import sys

if len(sys.argv) != 2:
    print('usage: expect-all-skip.py BINARY', file=sys.stderr)
    sys.exit(2)
env = dict(os.environ, IGT_PLAIN_OUTPUT='1')
p = subprocess.run([sys.argv[1]], capture_output=True, text=True, env=env, timeout=300)
results = re.findall(r'^Subtest ([A-Za-z0-9_-]+): ([A-Z]+) ', p.stdout, re.M)
bad = [f'{n}: {r}' for n, r in results if r != 'SKIP']
print(f'{os.path.basename(sys.argv[1])}: exit {p.returncode}, {len(results)} subtests, '
      f'{len(results) - len(bad)} skipped')
reasons = sorted({line.strip() for line in p.stdout.splitlines()
                  if 'required' in line or 'requirement' in line.lower()})
for r in reasons[:3]:
    print(f'  reason: {r}')
ok = p.returncode == 77 and results and not bad and reasons
for b in bad:
    print(f'  not skipped: {b}')
if not ok:
    print(p.stdout[-3000:])
    print(p.stderr[-3000:], file=sys.stderr)
sys.exit(0 if ok else 1)
