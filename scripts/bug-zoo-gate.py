#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The bug-zoo gate.

Runs the panthor test binaries on vpanthor, first with no quirk (every subtest must pass or skip
with a reason), then once per quirk of the model's catalogue (each quirk must make at least one
subtest fail), and writes the matrix as a Markdown table (docs/bug-zoo.md is a copy of it).

The model is selected by the environment the caller passes (LD_PRELOAD of libvpanthor.so and
friends, as meson's vpanthor_env does); this script only adds VPANTHOR_QUIRKS.

Exit status: 0 when the clean run is clean and every quirk is caught, 1 otherwise, 2 on bad input.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

RESULT_RE = re.compile(r'^(Dynamic subtest|Subtest) ([A-Za-z0-9_-]+): ([A-Z]+) \(')
START_RE = re.compile(r'^Starting subtest: ([A-Za-z0-9_-]+)')


def die(msg):
    print(f'bug-zoo-gate: {msg}', file=sys.stderr)
    sys.exit(2)


def read_testlist(root):
    path = os.path.join(root, 'test-list.txt')
    try:
        with open(path) as f:
            words = f.read().split()
    except OSError as e:
        die(f'cannot read {path}: {e.strerror}')
    return [w for w in words if w not in ('TESTLIST', 'END')]


def quirk_catalogue(daemon):
    """[(name, source, effect)] from `vpanthord --list-quirks` (tab-separated columns)."""
    try:
        out = subprocess.run([daemon, '--list-quirks'], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        die(f'cannot list the quirks with {daemon} --list-quirks: {e}')
    quirks = []
    for line in out.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        cols = line.split('\t')
        quirks.append((cols[0].strip(), cols[1].strip() if len(cols) > 1 else '',
                       cols[2].strip() if len(cols) > 2 else ''))
    if not quirks:
        die('the model lists no quirk')
    return quirks


def run_binary(root, name, quirk, timeout, worker):
    """Run one binary with every subtest; return {subtest: result}, wall time."""
    env = dict(os.environ)
    # Each worker gets a device of its own: two binaries on one device would see each other's
    # faults in the shared kernel log, as two tests on one board would.
    if worker and env.get('VPANTHOR_SOCKET'):
        env['VPANTHOR_SOCKET'] = f'{env["VPANTHOR_SOCKET"]}.w{worker}'

    env['IGT_PLAIN_OUTPUT'] = '1'
    if quirk:
        env['VPANTHOR_QUIRKS'] = quirk
    else:
        env.pop('VPANTHOR_QUIRKS', None)
    start = time.monotonic()
    try:
        p = subprocess.run([os.path.join(root, name)], env=env, capture_output=True, text=True,
                           timeout=timeout, errors='replace')
        out, killed = p.stdout, False
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
        killed = True
    results, current = {}, None
    for line in out.splitlines():
        m = START_RE.match(line)
        if m:
            current = m.group(1)
            continue
        m = RESULT_RE.match(line)
        if m and m.group(1) == 'Subtest':
            results[m.group(2)] = m.group(3)
            current = None
    if current is not None:
        # Started but never finished: the binary died or was killed in it.
        results[current] = 'TIMEOUT' if killed else 'INCOMPLETE'
    return results, time.monotonic() - start


def run_suite(root, binaries, quirk, timeout, jobs):
    """Run every binary; worker i runs binaries i, i + jobs, ... one after the other."""
    matrix = {}

    def worker(i):
        out = {}
        for b in binaries[i::jobs]:
            res, _ = run_binary(root, b, quirk, timeout, i)
            out.update({f'{b}@{sub}': r for sub, r in res.items()})
        return out

    if not os.environ.get('VPANTHOR_SOCKET'):
        jobs = 1	# no way to give each worker its own device
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(worker, range(jobs)):
            matrix.update(part)
    return matrix


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--test-root', required=True, help='directory with test-list.txt')
    ap.add_argument('--daemon', required=True, help='path of vpanthord (lists the quirks)')
    ap.add_argument('--output', required=True, help='Markdown matrix to write')
    ap.add_argument('--only', default='', help='comma list of quirks to check (default: all)')
    ap.add_argument('--timeout', type=float, default=120,
                    help='per binary, seconds; a quirk that stalls the GPU makes every later '
                    'subtest wait out its own deadline, so a binary killed here counts its '
                    'running subtest as caught (TIMEOUT)')
    ap.add_argument('--jobs', type=int, default=2)
    args = ap.parse_args()

    binaries = [b for b in read_testlist(args.test_root) if b.startswith('panthor/')]
    if not binaries:
        die('no panthor binary in test-list.txt')
    quirks = quirk_catalogue(args.daemon)
    if args.only:
        wanted = set(args.only.split(','))
        unknown = wanted - {q[0] for q in quirks}
        if unknown:
            die(f'unknown quirk(s): {", ".join(sorted(unknown))}')
        quirks = [q for q in quirks if q[0] in wanted]

    ok = True
    t0 = time.monotonic()
    clean = run_suite(args.test_root, binaries, None, args.timeout, args.jobs)
    bad = {k: v for k, v in clean.items() if v not in ('SUCCESS', 'SKIP')}
    print(f'clean run: {len(clean)} subtests, '
          f'{sum(v == "SUCCESS" for v in clean.values())} pass, '
          f'{sum(v == "SKIP" for v in clean.values())} skip, {len(bad)} other '
          f'({time.monotonic() - t0:.1f}s)')
    for k, v in sorted(bad.items()):
        print(f'  clean run: {k}: {v}')
        ok = False

    rows = []
    for name, source, effect in quirks:
        t1 = time.monotonic()
        res = run_suite(args.test_root, binaries, name, args.timeout, args.jobs)
        # A subtest catches the quirk when it passes (or skips) without it and fails with it.
        caught = sorted(k for k, v in res.items()
                        if v in ('FAIL', 'CRASH', 'TIMEOUT', 'INCOMPLETE')
                        and clean.get(k) in ('SUCCESS', 'SKIP'))
        status = 'caught' if caught else 'ESCAPED'
        if not caught:
            ok = False
        print(f'{name}: {status} by {len(caught)} subtest(s) ({time.monotonic() - t1:.1f}s)')
        for c in caught:
            print(f'  {c}: {res[c]}')
        rows.append((name, source, effect, caught))

    with open(args.output, 'w') as f:
        f.write('# The bug zoo: which subtests catch which historical driver bug\n\n')
        f.write('Generated by `scripts/bug-zoo-gate.py` (meson test `bug-zoo-gate`): the whole '
                'suite runs on vpanthor with no quirk, then once per quirk '
                '(`VPANTHOR_QUIRKS=<name>`). A subtest catches a quirk when it passes or skips '
                'without it and fails with it.\n\n')
        f.write(f'Clean run: {len(clean)} subtests, '
                f'{sum(v == "SUCCESS" for v in clean.values())} pass, '
                f'{sum(v == "SKIP" for v in clean.values())} skip, {len(bad)} other.\n\n')
        f.write('| quirk | source | effect in the model | caught by |\n|---|---|---|---|\n')
        for name, source, effect, caught in rows:
            who = '<br>'.join(f'`{c}`' for c in caught) if caught else '**ESCAPED**'
            f.write(f'| `{name}` | {source} | {effect} | {len(caught)}: {who} |\n')
    print(f'{sum(1 for r in rows if r[3])}/{len(rows)} quirks caught; matrix in {args.output}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
