#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Self-test of scripts/mutate: the generator on a fixture, and docs/mutation.md's ids.

1. Mutants of a small C fixture: what must be mutated is, what must not (comments, strings,
   preprocessor lines, quirk-only branches, logging and WARN-only code, allocation failures,
   declarations) is not; ids are stable when lines move and the file moves; line counts are kept.
2. Every mutant id that docs/mutation.md triages exists in the model as it is now, so the file
   cannot drift: a triaged line that changed is triaged again.

Exit status 0 when both hold, 1 otherwise.
"""

import importlib.machinery
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load_mutate():
    loader = importlib.machinery.SourceFileLoader('mutate', os.path.join(HERE, 'mutate'))
    spec = importlib.util.spec_from_loader('mutate', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


FIXTURE = r'''// SPDX-License-Identifier: MIT
/* if (a < b) return -EINVAL; in a comment */
#define LIMIT(x) ((x) < 4 ? 1 : 0)
static const int table[] = { 1 < 2, 3 };

int check(struct obj *o, struct args *args)
{
	struct obj *p = o->next;
	int local = o->n + 1;

	if (args->flags & ~VALID_FLAGS)
		return -EINVAL;
	if (vp_quirk(VP_QUIRK_X)) {
		o->n = 99;
		return 0;
	}
	if (args->size > o->size && !vp_quirk(VP_QUIRK_Y))
		return -E2BIG;
	if (vp_warn_on(o->size == 0))
		return -ENOMEM;
	if (!p)
		return -ENOMEM;
	if (o->count == 3)
		vp_dbg("count %d", o->count < 4);
	o->count++;
	o->end = ALIGN_UP(args->va + args->size, 4096) - 1;
	printf("a < b");
	return local;
}
'''


def check_fixture(m, cfg):
    fails = []
    muts = m.Generator('vpanthor/fixture.c', FIXTURE, cfg).run()
    got = {(mu.line, mu.op, ' '.join(mu.orig.split()), mu.repl.strip()) for mu in muts}
    want = {
        (9, 'off-by-one', '+ 1', ''),
        (11, 'drop-check', 'args->flags & ~VALID_FLAGS', '0'),
        (12, 'err-drop', '-EINVAL', '0'),
        (12, 'err-swap', 'EINVAL', 'ENOENT'),
        (17, 'ror', '>', '>='),
        (17, 'drop-check', 'args->size > o->size && !vp_quirk(VP_QUIRK_Y)', '0'),
        (18, 'err-drop', '-E2BIG', '0'),
        (18, 'err-swap', 'E2BIG', 'EINVAL'),
        (25, 'skip-update', 'o->count++;', ';'),
        (26, 'skip-update', 'o->end = ALIGN_UP(args->va + args->size, 4096) - 1;', ';'),
        (26, 'align-swap', 'ALIGN_UP', 'ALIGN_DOWN'),
        (26, 'off-by-one', '- 1', ''),
    }
    for w in sorted(want - got):
        fails.append(f'fixture: expected mutant missing: {w}')
    for g in sorted(got - want):
        fails.append(f'fixture: unexpected mutant: {g}')
    # The line count never changes (deletions keep their newlines).
    for mu in muts:
        new = FIXTURE[:mu.start] + mu.repl + FIXTURE[mu.end:]
        if new.count('\n') != FIXTURE.count('\n'):
            fails.append(f'fixture: {mu.id} changes the line count')
    # Ids survive moved lines and a moved file; they change with the statement.
    moved = FIXTURE.replace('int check(', '\n\n/* moved */\nint check(')
    ids = {mu.id for mu in muts}
    ids2 = {mu.id for mu in m.Generator('vpanthor/mm/fixture.c', moved, cfg).run()}
    if ids != ids2:
        fails.append('fixture: ids changed when lines and the file moved')
    if len(ids) != len(muts):
        fails.append('fixture: two mutants share an id')
    return fails


def check_triage(m, cfg):
    fails = []
    triage = m.parse_triage(os.path.join(ROOT, 'docs', 'mutation.md'))
    files = m.select_files(m.tree_files(ROOT), cfg)
    ids = {mu.id for mu in m.generate(ROOT, cfg, files)}
    for mid, (verdict, reason) in sorted(triage.items()):
        if mid not in ids:
            fails.append(f'docs/mutation.md: {mid} ({verdict}) is no mutant of the model any '
                         'more: its line changed; triage the new mutant '
                         '(scripts/mutate --only FILE:LINE) and drop the row')
        if not verdict.startswith(('equivalent', 'not observable', 'killed', 'open')):
            fails.append(f'docs/mutation.md: {mid}: unknown verdict {verdict!r}')
        if not reason:
            fails.append(f'docs/mutation.md: {mid}: no reason given')
    return fails, len(triage)


def main():
    m = load_mutate()
    cfg = m.load_config(os.path.join(HERE, 'mutate.toml'))
    fails = check_fixture(m, cfg)
    tfails, n = check_triage(m, cfg)
    fails += tfails
    for f in fails:
        print(f'FAIL: {f}')
    print(f'mutate-selftest: fixture checked, {n} triaged ids checked, {len(fails)} failures')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
