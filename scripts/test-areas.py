#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Collect the areas of every subtest from the "Areas:" block of each test file.

Each test file's first comment block ends with the areas its subtests exercise, one line per
subtest-name glob (fnmatch), as IGT keeps test documentation in the source:

     * Areas:
     *   *: huge-pages, vm-bind
     *   unmap-busy-* remap-busy-*: concurrency

A subtest has the areas of every line its name matches. The output, test-areas.txt, sits in
the test root next to test-list.txt; gen-catalogue.py and `igt_panthor_runner --area` read it.
One line per glob: "<binary> <glob> <area>,<area>...".

Area names come from AREAS below; an unknown one (a typo) or a file without the block fails.
"""

import argparse
import re
import sys

# The vocabulary, with what each area means; docs/test-catalogue.md lists it.
AREAS = {
    'query': 'DEV_QUERY and what it reports',
    'bo': 'buffer objects: creation, sizes, zeroing, labels, BO_SYNC, BO_QUERY_INFO',
    'mmap': 'CPU mappings of buffer objects',
    'vm': 'VM lifecycle, limits and VA ranges',
    'vm-bind': 'VM_BIND map and unmap, splits and merges, op arrays',
    'async-bind': 'asynchronous VM_BIND and its syncobjs',
    'huge-pages': '2 MiB blocks in the GPU page table: mapping, cutting, re-mapping',
    'sparse': 'MAP_SPARSE mappings over the dummy page',
    'faults': 'GPU page faults and how they are reported',
    'groups': 'group and queue lifecycle, GROUP_GET_STATE',
    'submission': 'GROUP_SUBMIT and the execution of command streams',
    'syncobj': 'syncobjs and fences of jobs and binds',
    'scheduling': 'CSG slots, priorities, more groups than slots, timeouts',
    'tiler-heap': 'tiler heaps',
    'eviction': 'the shrinker: evicted and restored memory',
    'vm-destroy': 'destroying a VM, closing a file or killing a process with resident groups',
    'isolation': 'what one file or VM must not see or break of another',
    'bad-input': 'invalid ioctl arguments and the exact errno',
    'concurrency': 'binds, submits and cuts racing with each other or with the GPU',
    'randomized': 'seeded random sequences checked against a reference',
    'debugfs': 'the driver\'s debugfs files',
    'fdinfo': 'the DRM file\'s fdinfo: memory and engine usage stats',
    'dma-buf': 'exported BOs: dma-buf implicit sync and sync files',
}

BLOCK_START = re.compile(r'^\s*\*\s*Areas\b.*:\s*$')
LINE = re.compile(r'^\s*\*\s+(\S.*?):\s*(\S.*)$')


def parse(path):
    """The (glob, [areas]) lines of the Areas block of the first comment in path."""
    with open(path) as f:
        text = f.read()
    start = text.find('/*')
    end = text.find('*/', start)
    if start < 0 or end < 0:
        raise ValueError(f'{path}: no comment block at the top')
    lines = text[start:end].splitlines()
    out, inside = [], False
    for n, line in enumerate(lines, 1):
        if BLOCK_START.match(line):
            inside = True
            continue
        if not inside:
            continue
        if re.match(r'^\s*\*?\s*$', line):
            break
        m = LINE.match(line)
        if not m:
            raise ValueError(f'{path}:{n}: not "glob...: area, area": {line.strip()}')
        areas = [a.strip() for a in m.group(2).split(',') if a.strip()]
        for a in areas:
            if a not in AREAS:
                raise ValueError(f'{path}:{n}: unknown area "{a}" (known: {", ".join(AREAS)})')
        for glob in m.group(1).split():
            out.append((glob, areas))
    if not out:
        raise ValueError(f'{path}: no "Areas:" block in the first comment')
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--output', required=True)
    ap.add_argument('sources', nargs='+', help='binary=source pairs, e.g. panthor/panthor_vm=...')
    args = ap.parse_args()
    out = ['# Subtest areas, from the "Areas:" block of each test file (scripts/test-areas.py).',
           '# <binary> <subtest glob> <area>,<area>...']
    for spec in args.sources:
        binary, _, path = spec.partition('=')
        try:
            for glob, areas in parse(path):
                out.append(f'{binary} {glob} {",".join(areas)}')
        except (OSError, ValueError) as e:
            print(f'test-areas: {e}', file=sys.stderr)
            return 1
    with open(args.output, 'w') as f:
        f.write('\n'.join(out) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
