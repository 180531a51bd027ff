#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The bug-zoo gate.

Runs the panthor test binaries on vpanthor, first with no quirk (every subtest must pass or skip
with a reason), then with each quirk of the model's catalogue (each quirk must make at least one
subtest fail), and writes the matrix as a Markdown table (docs/bug-zoo.md is a copy of it).

Which subtests run with a quirk: the clean run records, per subtest, which quirks' vp_quirk()
checks the model evaluated while it ran (VPANTHOR_QUIRK_TRACE; the windows between the tests'
"[IGT]" kernel-log markers). A quirk whose check a subtest never reached cannot change what
that subtest does, so only the subtests that reached it run with it: a subtest is selected when
the quirk was evaluated in its window or in the next one (work it left running, such as a file
released after it closed it, is seen there), every subtest of a binary whose fixture evaluated
it, and a binary's last subtest when the evaluation came after it. A subtest the trace does not
cover runs with every quirk. --full runs every subtest with every quirk instead (the old gate,
to check the selection against).

Subtests that outlast the kernel's 5 s job timeout skip unless their binary is given --long;
--long-binaries names the binaries the gate runs with --long (clean run and quirk runs alike),
so that those subtests run and can catch their quirks.

Each (quirk, binary) run is a job; --jobs of them run at once, longest first, each worker on a
device of its own (VPANTHOR_SOCKET suffixed per worker; a quirk's device is another one anyway).

The model is selected by the environment the caller passes (LD_PRELOAD of libvpanthor.so and
friends, as meson's vpanthor_env does); this script adds VPANTHOR_QUIRKS, VPANTHOR_SOCKET
suffixes and, for the clean run, VPANTHOR_QUIRK_TRACE.

Exit status: 0 when the clean run is clean and every quirk is caught, 1 otherwise, 2 on bad input.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time

RESULT_RE = re.compile(r'^(Dynamic subtest|Subtest) ([A-Za-z0-9_-]+): ([A-Z]+) \(([0-9.]+)s\)')
START_RE = re.compile(r'^Starting subtest: ([A-Za-z0-9_-]+)')
CAUGHT = ('FAIL', 'CRASH', 'TIMEOUT', 'INCOMPLETE')


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


def run_binary(root, name, quirk, timeout, sock, subtests=None, trace=None, args=()):
    """Run one binary (the @subtests listed, else all) with @args; return
    ([(subtest, result, secs)], wall)."""
    env = dict(os.environ)
    if sock:
        env['VPANTHOR_SOCKET'] = sock
    env['IGT_PLAIN_OUTPUT'] = '1'
    if quirk:
        env['VPANTHOR_QUIRKS'] = quirk
    else:
        env.pop('VPANTHOR_QUIRKS', None)
    if trace:
        env['VPANTHOR_QUIRK_TRACE'] = trace
    else:
        env.pop('VPANTHOR_QUIRK_TRACE', None)
    cmd = [os.path.join(root, name)] + list(args)
    if subtests is not None:
        cmd += ['--run-subtest', ','.join(subtests)]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                           errors='replace')
        out, killed = p.stdout, False
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
        killed = True
    results, current = [], None
    for line in out.splitlines():
        m = START_RE.match(line)
        if m:
            current = m.group(1)
            continue
        m = RESULT_RE.match(line)
        if m and m.group(1) == 'Subtest':
            results.append((m.group(2), m.group(3), float(m.group(4))))
            current = None
    if current is not None:
        # Started but never finished: the binary died or was killed in it.
        results.append((current, 'TIMEOUT' if killed else 'INCOMPLETE', 0.0))
    return results, time.monotonic() - start


def run_jobs(jobs, nworkers, work):
    """Run @jobs (dicts with 'cost') on @nworkers workers, longest first; work(job, worker)."""
    queue = sorted(jobs, key=lambda j: -j['cost'])
    out = []

    def worker(i):
        done = []
        while True:
            try:
                job = queue.pop(0)
            except IndexError:
                return done
            done.append((job, work(job, i)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=nworkers) as pool:
        for part in pool.map(worker, range(nworkers)):
            out.extend(part)
    return out


def read_traces(paths, binaries):
    """{binary: [(window, {quirks})]} in the order the windows were closed."""
    base = {b.split('/')[-1]: b for b in binaries}
    windows = {}
    for path in paths:
        try:
            with open(path) as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for line in lines:
            cols = line.split('\t')
            if len(cols) != 3 or cols[0] not in base:
                continue
            quirks = set(q for q in cols[2].split(',') if q)
            windows.setdefault(base[cols[0]], []).append((cols[1], quirks))
    return windows


def select(binaries, order, windows, quirk):
    """{binary: [subtests]} to run with @quirk (see the module's docstring)."""
    sel = {}
    for b in binaries:
        subs = order.get(b, [])
        if not subs:
            continue
        seen = {}
        fixture = exit_ = False
        for win, quirks in windows.get(b, []):
            hit = quirk in quirks
            if win == '(fixture)':
                fixture |= hit
            elif win == '(exit)':
                exit_ |= hit
            else:
                seen[win] = seen.get(win, False) | hit
        if fixture:
            sel[b] = list(subs)
            continue
        picked = []
        for i, s in enumerate(subs):
            nxt = subs[i + 1] if i + 1 < len(subs) else None
            if (s not in seen or seen[s] or (nxt is not None and seen.get(nxt, True)) or
                    (nxt is None and exit_)):
                picked.append(s)
        if picked:
            sel[b] = picked
    return sel


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--test-root', required=True, help='directory with test-list.txt')
    ap.add_argument('--daemon', required=True, help='path of vpanthord (lists the quirks)')
    ap.add_argument('--output', required=True, help='Markdown matrix to write')
    ap.add_argument('--only', default='', help='comma list of quirks to check (default: all)')
    ap.add_argument('--timeout', type=float, default=120,
                    help='per binary run, seconds; a quirk that stalls the GPU makes every later '
                    'subtest wait out its own deadline, so a binary killed here counts its '
                    'running subtest as caught (TIMEOUT)')
    ap.add_argument('--jobs', type=int, default=max(2, (os.cpu_count() or 2) + 1),
                    help='binary runs at once (default: CPUs + 1; the quirk runs wait on GPU '
                    'deadlines a lot)')
    ap.add_argument('--long-binaries', default='',
                    help='comma list of binaries (panthor/<name>) to run with --long, whose '
                    'subtests past the job timeout skip without it')
    ap.add_argument('--full', action='store_true',
                    help='run every subtest with every quirk (no selection by the trace)')
    args = ap.parse_args()

    binaries = [b for b in read_testlist(args.test_root) if b.startswith('panthor/')]
    if not binaries:
        die('no panthor binary in test-list.txt')
    long_bins = set(b for b in args.long_binaries.split(',') if b)
    unknown_bins = sorted(long_bins - set(binaries))
    if unknown_bins:
        die(f'--long-binaries: not in test-list.txt: {", ".join(unknown_bins)}')

    def bin_args(b):
        return ['--long'] if b in long_bins else []

    quirks = quirk_catalogue(args.daemon)
    if args.only:
        wanted = set(args.only.split(','))
        unknown = wanted - {q[0] for q in quirks}
        if unknown:
            die(f'unknown quirk(s): {", ".join(sorted(unknown))}')
        quirks = [q for q in quirks if q[0] in wanted]
    sock = os.environ.get('VPANTHOR_SOCKET')
    if not sock:
        args.jobs = 1	# no way to give each worker its own device
    tmp = tempfile.mkdtemp(prefix='bug-zoo-gate-')
    # A fresh device per clean-run binary: the trace is on from its start, and no binary's
    # late work (a file released after its process ended) lands in another's windows.
    tag = f'{os.getpid()}-{int(time.time())}'

    ok = True
    t0 = time.monotonic()
    clean_jobs = [{'bin': b, 'cost': 1.0} for b in binaries]

    def clean_work(job, worker):
        b = job['bin']
        base = b.split('/')[-1]
        trace = os.path.join(tmp, f'trace.{base}')
        s = f'{sock}.c{tag}.{base}' if sock else None
        return run_binary(args.test_root, b, None, args.timeout, s, trace=trace,
                          args=bin_args(b))

    clean, order, secs = {}, {}, {}
    for job, (res, wall) in run_jobs(clean_jobs, args.jobs, clean_work):
        b = job['bin']
        order[b] = [s for s, _, _ in res]
        for s, r, t in res:
            clean[f'{b}@{s}'] = r
            secs[f'{b}@{s}'] = t
        secs[b] = max(0.05, wall - sum(t for _, _, t in res))	# process and fixture
    bad = {k: v for k, v in clean.items() if v not in ('SUCCESS', 'SKIP')}
    print(f'clean run: {len(clean)} subtests, '
          f'{sum(v == "SUCCESS" for v in clean.values())} pass, '
          f'{sum(v == "SKIP" for v in clean.values())} skip, {len(bad)} other '
          f'({time.monotonic() - t0:.1f}s)')
    for k, v in sorted(bad.items()):
        print(f'  clean run: {k}: {v}')
        ok = False
    windows = read_traces([os.path.join(tmp, f'trace.{b.split("/")[-1]}') for b in binaries],
                          binaries)
    untraced = [f'{b}@{s}' for b in binaries for s in order.get(b, [])
                if s not in {w for w, _ in windows.get(b, [])}]
    if untraced and not args.full:
        print(f'clean run: {len(untraced)} subtest(s) without a trace: they run with every quirk'
              f' (first: {untraced[0]})')

    t1 = time.monotonic()
    jobs, selected = [], {}
    for name, _, _ in quirks:
        sel = ({b: None for b in binaries} if args.full else
               select(binaries, order, windows, name))
        selected[name] = sum(len(order.get(b, [])) if s is None else len(s)
                             for b, s in sel.items())
        for b, subs in sel.items():
            cost = secs.get(b, 0.1) + sum(secs.get(f'{b}@{s}', 0.1)
                                          for s in (order.get(b, []) if subs is None else subs))
            jobs.append({'quirk': name, 'bin': b, 'subs': subs, 'cost': cost})

    def quirk_work(job, worker):
        s = f'{sock}.w{worker}' if sock else None
        return run_binary(args.test_root, job['bin'], job['quirk'], args.timeout, s,
                          subtests=job['subs'], args=bin_args(job['bin']))

    res_by_quirk, wall_by_quirk = {}, {}
    for job, (res, wall) in run_jobs(jobs, args.jobs, quirk_work):
        res_by_quirk.setdefault(job['quirk'], {}).update(
            {f'{job["bin"]}@{s}': r for s, r, _ in res})
        wall_by_quirk[job['quirk']] = wall_by_quirk.get(job['quirk'], 0.0) + wall

    rows = []
    total = sum(len(v) for v in order.values())
    for name, source, effect in quirks:
        res = res_by_quirk.get(name, {})
        # A subtest catches the quirk when it passes (or skips) without it and fails with it.
        caught = sorted(k for k, v in res.items()
                        if v in CAUGHT and clean.get(k) in ('SUCCESS', 'SKIP'))
        status = 'caught' if caught else 'ESCAPED'
        if not caught:
            ok = False
        print(f'{name}: {status} by {len(caught)} subtest(s); {selected[name]} of {total} run '
              f'({wall_by_quirk.get(name, 0.0):.1f}s of binary time)')
        for c in caught:
            print(f'  {c}: {res[c]}')
        rows.append((name, source, effect, caught, selected[name]))
    runs = sum(r[4] for r in rows)
    print(f'quirk runs: {runs} subtest runs instead of {total * len(rows)} '
          f'({time.monotonic() - t1:.1f}s); whole gate {time.monotonic() - t0:.1f}s')

    with open(args.output, 'w') as f:
        f.write('# The bug zoo: which subtests catch which historical driver bug\n\n')
        f.write('Generated by `scripts/bug-zoo-gate.py` (meson test `bug-zoo-gate`): the whole '
                'suite runs on vpanthor with no quirk, then with each quirk '
                '(`VPANTHOR_QUIRKS=<name>`) the subtests that reached its check in the clean run '
                '(the model\'s trace; "run" below). A subtest catches a quirk when it passes or '
                'skips without it and fails with it.\n\n')
        f.write(f'Clean run: {len(clean)} subtests, '
                f'{sum(v == "SUCCESS" for v in clean.values())} pass, '
                f'{sum(v == "SKIP" for v in clean.values())} skip, {len(bad)} other.\n\n')
        f.write('| quirk | source | effect in the model | run | caught by |\n'
                '|---|---|---|---|---|\n')
        for name, source, effect, caught, nsel in rows:
            who = '<br>'.join(f'`{c}`' for c in caught) if caught else '**ESCAPED**'
            f.write(f'| `{name}` | {source} | {effect} | {nsel} | {len(caught)}: {who} |\n')
    print(f'{sum(1 for r in rows if r[3])}/{len(rows)} quirks caught; matrix in {args.output}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
