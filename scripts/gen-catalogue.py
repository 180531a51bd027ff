#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate the test catalogue from every binary's --describe output.

One Markdown page, grouped by binary: the binary's description, then each subtest with its
description. A subtest without an igt_describe() ("NO DOCUMENTATION!") makes the generator fail,
so the build fails with the name of the undocumented subtest.
"""

import argparse
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--output', required=True)
    ap.add_argument('binaries', nargs='+', help='name=path pairs, e.g. panthor/panthor_vm=...')
    args = ap.parse_args()

    missing, total, out = [], 0, []
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
        out.append('| subtest | description |\n|---|---|')
        for s in subs:
            total += 1
            text = ' '.join(s['text'])
            if 'NO DOCUMENTATION!' in text or not text:
                missing.append(f'{name}@{s["name"]} ({s["where"]})')
            cell = text.replace('|', '\\|')
            out.append(f'| `{s["name"]}` | {cell} |')
    with open(args.output, 'w') as f:
        f.write('\n'.join(out) + '\n')
    if missing:
        for m in missing:
            print(f'gen-catalogue: subtest without igt_describe(): {m}', file=sys.stderr)
        return 1
    print(f'gen-catalogue: {total} subtests documented in {len(args.binaries)} binaries')
    return 0


if __name__ == '__main__':
    sys.exit(main())
