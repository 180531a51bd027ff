#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate docs/regressions.md from docs/regressions.txt, and check it cannot drift.

The data file lists upstream fixes (one record per fix). With --binaries and --daemon the
script also checks the records against what the build says:
  - every subtest a record names exists (the binary's --describe lists it);
  - for an observable fix, each named subtest's igt_describe() cites the fix (its 12-hex id,
    or its exact title when no id is known), and at least one named quirk cites it in the
    model's catalogue (`vpanthord --list-quirks`);
  - every named quirk exists, and every quirk whose source names an upstream commit id is
    listed by some record (no quirk of a fix goes undocumented);
  - an observable fix without subtest or quirk must say why in `gap:` (reported, not fatal).
With --check FILE the generated page must equal FILE (the committed docs/regressions.md).

Exit status: 0 when everything holds, 1 when a check fails, 2 on bad input.
"""

import argparse
import os
import re
import subprocess
import sys

CLASSES = ('observable', 'race', 'debug-kernel', 'not-observable', 'unverified')
KEYS = ('id', 'title', 'date', 'area', 'class', 'broke', 'subtests', 'quirks', 'verdict', 'gap',
        'why', 'source')
HEX_ID = re.compile(r'\b[0-9a-f]{12}\b')


def die(msg):
    print(f'check-regressions: {msg}', file=sys.stderr)
    sys.exit(2)


def parse(path):
    """[{key: value}] from the record file."""
    recs, cur, last = [], None, None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            if line.startswith('#'):
                continue
            if not line.strip():
                cur, last = None, None
                continue
            if line[0] in ' \t':
                if cur is None or last is None:
                    die(f'{path}:{n}: continuation outside a field')
                cur[last] += ' ' + line.strip()
                continue
            key, sep, val = line.partition(':')
            if not sep or key not in KEYS:
                die(f'{path}:{n}: unknown field "{key}"')
            if cur is None:
                cur = {'line': n}
                recs.append(cur)
            if key in cur:
                die(f'{path}:{n}: field "{key}" given twice')
            cur[key] = val.strip()
            last = key
    for r in recs:
        for k in ('id', 'title', 'class', 'date'):
            if k not in r:
                die(f'{path}:{r["line"]}: record without "{k}"')
        if r['class'] not in CLASSES:
            die(f'{path}:{r["line"]}: class "{r["class"]}" is not one of {", ".join(CLASSES)}')
        if r['id'] != '-' and not re.fullmatch(r'[0-9a-f]{12}', r['id']):
            die(f'{path}:{r["line"]}: id "{r["id"]}" is not 12 hex digits or "-"')
        r['subtests'] = r.get('subtests', '').split()
        r['quirks'] = r.get('quirks', '').split()
    return recs


def key_of(rec):
    """How the fix is named in messages: its id, else its title."""
    return rec['id'] if rec['id'] != '-' else rec['title']


def cites(rec, text):
    """Whether @text names the fix: its 12-hex id or its exact title."""
    title = re.sub(r'\s*\(title not confirmed\)$', '', rec['title'])
    return (rec['id'] != '-' and rec['id'] in text) or title in text


def describe(path):
    """{subtest: description} from `binary --describe` (no device is opened)."""
    env = dict(os.environ, IGT_PLAIN_OUTPUT='1')
    env.pop('LD_PRELOAD', None)
    p = subprocess.run([path, '--describe'], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        raise RuntimeError(f'{path} --describe exited {p.returncode}')
    subs, cur = {}, None
    for line in p.stdout.splitlines():
        if line.startswith('SUB '):
            cur = line.split()[1]
            subs[cur] = []
        elif cur is not None and line.strip():
            subs[cur].append(line.strip())
    return {k: ' '.join(v) for k, v in subs.items()}


def quirk_catalogue(daemon):
    out = subprocess.run([daemon, '--list-quirks'], capture_output=True, text=True, timeout=30,
                         check=True).stdout
    cat = {}
    for line in out.splitlines():
        cols = line.split('\t')
        if cols and cols[0].strip() and not line.startswith('#'):
            cat[cols[0].strip()] = cols[1].strip() if len(cols) > 1 else ''
    return cat


def check(recs, binaries, daemon):
    errors, gaps = [], []
    descs = {}
    for spec in binaries:
        name, _, path = spec.partition('=')
        try:
            descs[name] = describe(path)
        except (OSError, RuntimeError, subprocess.SubprocessError) as e:
            die(f'cannot describe {name}: {e}')
    try:
        quirks = quirk_catalogue(daemon)
    except (OSError, subprocess.SubprocessError) as e:
        die(f'cannot list the quirks with {daemon}: {e}')

    listed = set()
    for r in recs:
        where = f'{r["title"]} (line {r["line"]})'
        key = key_of(r)
        for t in r['subtests']:
            binary, _, sub = t.partition('@')
            if binary not in descs:
                errors.append(f'{where}: no binary {binary}')
                continue
            if sub not in descs[binary]:
                errors.append(f'{where}: no subtest {t}')
                continue
            if r['class'] == 'observable' and not cites(r, descs[binary][sub]):
                errors.append(f'{where}: the igt_describe() of {t} does not cite "{key}"')
        for q in r['quirks']:
            listed.add(q)
            if q not in quirks:
                errors.append(f'{where}: no quirk {q} in the model')
        if r['class'] == 'observable':
            if r['quirks'] and not any(cites(r, quirks.get(q, '')) for q in r['quirks']):
                errors.append(f'{where}: none of its quirks cites "{key}" in its source')
            if not r['subtests'] or not r['quirks']:
                if r.get('gap'):
                    gaps.append(f'{where}: {r["gap"]}')
                else:
                    errors.append(f'{where}: observable, without subtest or quirk, no gap given')
    for q, src in quirks.items():
        if HEX_ID.search(src) and q not in listed:
            errors.append(f'quirk {q} cites a commit ({src}) but no record lists it')
    return errors, gaps


def cell(s):
    return s.replace('|', '\\|')


def render(recs):
    out = []
    out.append('# Regression coverage of upstream panthor fixes\n')
    out.append('Generated from `docs/regressions.txt` by `scripts/check-regressions.py` (meson '
               'test `regressions`, suite `ci`, checks every record against the binaries\' '
               '`--describe` and `vpanthord --list-quirks`, and this page against the data). '
               'Edit the data file, then `scripts/check-regressions.py docs/regressions.txt '
               '--output docs/regressions.md`.\n')
    out.append('Classes: **observable** from the uAPI (ioctl result, GPU-visible memory, fence '
               'timing, group state, mmap result, kernel log line); **race** (a stress loop '
               'raises the hit rate); **debug-kernel** (only lockdep, KASAN or kmemleak sees it: '
               'the listed subtests take the path and `panthor_fault_expect_none()` asserts a '
               'kernel log without WARNING/BUG/Oops/lockdep/KASAN records, so a debug kernel in '
               'CI fails them; no quirk); **not-observable** (why given); **unverified** (found '
               'but not confirmed). An observable fix has subtests whose `igt_describe()` cite '
               'it (12-hex id, else title) and a quirk that reproduces the state before it; the '
               'bug-zoo gate (`scripts/bug-zoo-gate.py`) proves each quirk is caught.\n')
    counts = {c: sum(1 for r in recs if r['class'] == c) for c in CLASSES}
    gaps = [r for r in recs if r['class'] == 'observable' and (not r['subtests'] or
                                                              not r['quirks'])]
    out.append('| class | fixes |\n|---|---|')
    for c in CLASSES:
        out.append(f'| {c} | {counts[c]} |')
    out.append(f'| **total** | {len(recs)} |\n')
    out.append(f'Observable fixes with subtests and quirks: '
               f'{counts["observable"] - len(gaps)}; without (gaps): {len(gaps)}.\n')

    for c in CLASSES:
        rows = sorted((r for r in recs if r['class'] == c), key=lambda r: r['date'])
        if not rows:
            continue
        out.append(f'\n## {c}\n')
        out.append('| date | commit | title | what broke / why | subtests | quirks | verdict |')
        out.append('|---|---|---|---|---|---|---|')
        for r in rows:
            what = r.get('broke', '')
            for k in ('why', 'gap'):
                if r.get(k):
                    what += (' ' if what else '') + f'*{k}:* {r[k]}'
            subs = '<br>'.join(f'`{s}`' for s in r['subtests'])
            qs = '<br>'.join(f'`{q}`' for q in r['quirks'])
            out.append(f'| {r["date"]} | {r["id"] if r["id"] != "-" else "—"} | '
                       f'{cell(r["title"])} | {cell(what)} | {subs} | {qs} | '
                       f'{cell(r.get("verdict", ""))} |')
    out.append('\n## Sources\n')
    out.append('Where each id and title was seen is the `source:` field of its record; '
               '"memory" marks a fix recalled but not re-checked against a source in the '
               'research session, so its id is unknown ("—").')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('data')
    ap.add_argument('--output', help='write the page here')
    ap.add_argument('--check', help='fail unless the generated page equals this file')
    ap.add_argument('--daemon', help='vpanthord, for --list-quirks')
    ap.add_argument('binaries', nargs='*', help='name=path pairs, e.g. panthor/panthor_vm=...')
    args = ap.parse_intermixed_args()

    recs = parse(args.data)
    page = render(recs)
    status = 0
    if args.output:
        with open(args.output, 'w') as f:
            f.write(page)
    if args.check:
        with open(args.check) as f:
            if f.read() != page:
                print(f'check-regressions: {args.check} is stale: regenerate it with '
                      f'scripts/check-regressions.py {args.data} --output {args.check}',
                      file=sys.stderr)
                status = 1
    if args.binaries:
        if not args.daemon:
            die('--daemon is needed with binaries')
        errors, gaps = check(recs, args.binaries, args.daemon)
        for g in gaps:
            print(f'check-regressions: gap: {g}')
        for e in errors:
            print(f'check-regressions: {e}', file=sys.stderr)
        if errors:
            status = 1
        print(f'check-regressions: {len(recs)} fixes, {len(errors)} error(s), '
              f'{len(gaps)} observable gap(s)')
    return status


if __name__ == '__main__':
    sys.exit(main())
