#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate the test catalogue from every binary's --describe output.

One Markdown page, grouped by binary: the binary's description, then each subtest with its
description and its areas, then an index of the areas. A subtest without an igt_describe()
("NO DOCUMENTATION!") or without an area (test-areas.txt, from the "Areas:" block of its source
file, the file `igt_panthor_runner --area` reads too) makes the generator fail, so the build
fails with the name of the subtest.
"""

import argparse
import fnmatch
import os
import subprocess
import sys


def describe(path):
    env = dict(os.environ, IGT_PLAIN_OUTPUT='1')
    # --describe never opens a device; no model is needed.
    env.pop('LD_PRELOAD', None)
    p = subprocess.run([path, '--describe'], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        raise RuntimeError(f'{path} --describe exited {p.returncode}: {p.stderr.strip()}')
    intro, subs, cur = [], [], None
    for line in p.stdout.splitlines():
        if line.startswith('SUB '):
            parts = line.split()
            cur = {'name': parts[1], 'where': parts[2].rstrip(':') if len(parts) > 2 else '',
                   'text': []}
            subs.append(cur)
        elif cur is None:
            if line.strip():
                intro.append(line.strip())
        elif line.strip():
            cur['text'].append(line.strip())
    return ' '.join(intro), subs


def read_areas(path):
    """test-areas.txt: {binary: [(glob, [areas])]}."""
    out = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            binary, glob, areas = line.split()
            out.setdefault(binary, []).append((glob, areas.split(',')))
    return out


def areas_of(table, binary, sub):
    found = []
    for glob, areas in table.get(binary, []):
        if fnmatch.fnmatchcase(sub, glob):
            found += [a for a in areas if a not in found]
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--output', required=True)
    ap.add_argument('--areas', required=True, help='test-areas.txt')
    ap.add_argument('binaries', nargs='+', help='name=path pairs, e.g. panthor/panthor_vm=...')
    args = ap.parse_args()

    missing, no_area, total, out = [], [], 0, []
    table = read_areas(args.areas)
    index = {}
    out.append('# igt-panthor test catalogue\n')
    out.append('Generated at build time from each binary\'s `--describe` output '
               '(`scripts/gen-catalogue.py`). Test names as CI spells them: '
               '`<binary>@<subtest>`.\n')
    for spec in args.binaries:
        name, _, path = spec.partition('=')
        try:
            intro, subs = describe(path)
        except (OSError, RuntimeError, subprocess.SubprocessError) as e:
            print(f'gen-catalogue: {e}', file=sys.stderr)
            return 1
        out.append(f'\n## {name} ({len(subs)} subtests)\n')
        if intro:
            out.append(f'{intro}\n')
        out.append('| subtest | areas | description |\n|---|---|---|')
        for s in subs:
            total += 1
            text = ' '.join(s['text'])
            if 'NO DOCUMENTATION!' in text or not text:
                missing.append(f'{name}@{s["name"]} ({s["where"]})')
            areas = areas_of(table, name, s['name'])
            if not areas:
                no_area.append(f'{name}@{s["name"]} ({s["where"]})')
            for a in areas:
                index.setdefault(a, []).append(f'{name}@{s["name"]}')
            cell = text.replace('|', '\\|')
            out.append(f'| `{s["name"]}` | {", ".join(areas)} | {cell} |')
    out.append('\n## Areas\n')
    out.append('Every subtest carries the areas it exercises (the "Areas:" block at the top of '
               'its source file). `igt_panthor_runner --area AREA` runs them.\n')
    out.append('| area | subtests |\n|---|---|')
    for a in sorted(index):
        out.append(f'| `{a}` | {len(index[a])} |')
    with open(args.output, 'w') as f:
        f.write('\n'.join(out) + '\n')
    for m in no_area:
        print(f'gen-catalogue: subtest without an area (add a line to the "Areas:" block at '
              f'the top of its source file): {m}', file=sys.stderr)
    for m in missing:
        print(f'gen-catalogue: subtest without igt_describe(): {m}', file=sys.stderr)
    if missing or no_area:
        return 1
    print(f'gen-catalogue: {total} subtests documented in {len(args.binaries)} binaries')
    return 0


if __name__ == '__main__':
    sys.exit(main())
