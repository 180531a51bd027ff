#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Protocol self-tests of the IGT-compatible core.

Each case runs one of the small binaries of tests/lib with given arguments and environment and
compares its exit code, stdout and stderr with what IGT's protocol requires. Every expectation
is checked; a case passes only if all of them hold.

  check_core.py --list                 print the case names
  check_core.py --bindir DIR CASE      run one case (exit 0 pass, 1 fail)
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

SUBTESTS = 'core_subtests'
ALL_SUBTESTS = [
    'pass-a', 'pass-b', 'skip-require', 'skip-require-f', 'fail-eq', 'fail-eq-u64', 'fail-lt',
    'fail-assert-f', 'fail-fd', 'warn', 'group-skip-a', 'group-skip-b', 'after-skip-group',
    'dyn-mixed', 'dyn-all-skip', 'dyn-pass', 'dyn-empty', 'timeout',
    'timeout-while-logging', 'fork-fail', 'fork-pass', 'fork-signal', 'fork-kill-reap',
    'fork-timeout', 'thread-fail', 'fmt-7-x', 'until-timeout',
]


def lines(*ls):
    """Lines that must appear in this order (each a regex matched against a whole line)."""
    return list(ls)


CASES = {
    # --list-subtests: exactly the names, one per line, nothing else; no fixture runs.
    'list-subtests': dict(
        bin=SUBTESTS, args=['--list-subtests'], code=0,
        stdout_exact='\n'.join(ALL_SUBTESTS) + '\n', stderr_exact=''),
    'list-subtests-simple': dict(
        bin='core_simple', args=['--list-subtests'], code=79, stdout_exact='',
        stderr_exact=''),
    'show-testlist': dict(
        bin=SUBTESTS, args=['--show-testlist'], code=0,
        stdout_exact=''.join('igt@core_subtests@%s\n' % s for s in ALL_SUBTESTS)),
    'version-line': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a'], code=0,
        stdout=lines(r'IGT-Version: \d+\.\d+\.\d+-\S+ \(\S+\) \(Linux: \S+ \S+\)',
                     r'top fixture ran', r'Starting subtest: pass-a')),
    'run-one-pass': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a'], code=0,
        stdout=lines(r'Starting subtest: pass-a', r'hello from pass-a',
                     r'Subtest pass-a: SUCCESS \(\d+\.\d{3}s\)'),
        stdout_not=[r'pass-b', r'debug from pass-a', r'Starting subtest: (?!pass-a)'],
        stderr_exact=''),
    'debug-option': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a', '--debug'], code=0,
        stdout=lines(r'hello from pass-a', r'\(core_subtests:\d+\) DEBUG: debug from pass-a')),
    'log-level-env': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a'], env={'IGT_LOG_LEVEL': 'debug'}, code=0,
        stdout=lines(r'\(core_subtests:\d+\) DEBUG: debug from pass-a')),
    'comma-list': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-b,pass-a'], code=0,
        stdout=lines(r'Subtest pass-a: SUCCESS .*', r'Subtest pass-b: SUCCESS .*'),
        stdout_not=[r'Starting subtest: (?!pass-)']),
    'glob-selection': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-*'], code=0,
        stdout=lines(r'Subtest pass-a: SUCCESS .*', r'Subtest pass-b: SUCCESS .*'),
        stdout_not=[r'Starting subtest: (?!pass-)']),
    'glob-class-and-question': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-[b-z],fmt-?-x'], code=0,
        stdout=lines(r'Subtest pass-b: SUCCESS .*', r'Subtest fmt-7-x: SUCCESS .*'),
        stdout_not=[r'Starting subtest: pass-a']),
    'glob-negated-class': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-[!a]'], code=0,
        stdout=lines(r'Subtest pass-b: SUCCESS .*'),
        stdout_not=[r'Starting subtest: (?!pass-b)']),
    'negation': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-*,!pass-a'], code=0,
        stdout=lines(r'Subtest pass-b: SUCCESS .*'),
        stdout_not=[r'Starting subtest: pass-a', r'Starting subtest: (?!pass-b)']),
    'negation-only-selects-nothing': dict(
        bin=SUBTESTS, args=['--run-subtest', '!pass-a'], code=79,
        stderr=lines(r'Unknown subtest: !pass-a'), stdout_not=[r'Starting subtest']),
    'unknown-subtest': dict(
        bin=SUBTESTS, args=['--run-subtest', 'no-such-subtest'], code=79,
        stderr=lines(r'Unknown subtest: no-such-subtest'), stdout_not=[r'Starting subtest']),
    'unknown-subtest-simple': dict(
        bin='core_simple', args=['--run-subtest', 'x'], code=79,
        stderr=lines(r'Unknown subtest: x'), stdout_not=[r'SUCCESS']),
    'skip-require': dict(
        bin=SUBTESTS, args=['--run-subtest', 'skip-require'], code=77,
        stdout=lines(r'Starting subtest: skip-require',
                     r'Test requirement not met in function __igt_main_body, file .*core_subtests\.c:\d+:',
                     r'Test requirement: have_feature',
                     r'Subtest skip-require: SKIP \(\d+\.\d{3}s\)'),
        stdout_not=[r'not reached', r'Last errno'], stderr_exact=''),
    'skip-require-f': dict(
        bin=SUBTESTS, args=['--run-subtest', 'skip-require-f'], code=77,
        stdout=lines(r'Test requirement: getpid\(\) < 0', r'feature frobnicate absent',
                     r'Subtest skip-require-f: SKIP .*')),
    'fail-eq-values-and-errno': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fail-eq'], code=98,
        # symbolized as IGT does (libunwind + libdw): file:line and function of the check
        stdout=lines(r'Starting subtest: fail-eq', r'Stack trace:',
                     r'  #0 \S*core_subtests\.c:\d+ __igt_main_body\(\)',
                     r'Subtest fail-eq: FAIL \(\d+\.\d{3}s\)'),
        stdout_not=[r'not reached'],
        stderr=lines(
            r'\(core_subtests:\d+\) CRITICAL: Test assertion failure function __igt_main_body, file .*core_subtests\.c:\d+:',
            r'\(core_subtests:\d+\) CRITICAL: Failed assertion: got == 4',
            r'\(core_subtests:\d+\) CRITICAL: Last errno: 22, Invalid argument',
            r'\(core_subtests:\d+\) CRITICAL: error: 3 != 4',
            r'Subtest fail-eq failed\.',
            r'\*\*\*\* DEBUG \*\*\*\*',
            r'\(core_subtests:\d+\) DEBUG: debug line before the failure',
            r'\(core_subtests:\d+\) CRITICAL: Failed assertion: got == 4',
            r'\*\*\*\*  END  \*\*\*\*')),
    'fail-eq-u64-hex': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fail-eq-u64'], code=98,
        stderr=lines(r'.*CRITICAL: Failed assertion: va == 0x20', r'.*CRITICAL: error: 0x10 != 0x20'),
        stderr_not=[r'Last errno']),
    'fail-lt-negated-operator': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fail-lt'], code=98,
        stderr=lines(r'.*CRITICAL: Failed assertion: a < 3', r'.*CRITICAL: error: 5 >= 3')),
    'fail-assert-f-message': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fail-assert-f'], code=98,
        stderr=lines(r'.*CRITICAL: Failed assertion: x == 1', r'.*CRITICAL: x was 7')),
    'fail-fd': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fail-fd'], code=98,
        stderr=lines(r'.*CRITICAL: Failed assertion: \(fd\) >= 0',
                     r'.*CRITICAL: Last errno: 2, No such file or directory',
                     r'.*CRITICAL: file descriptor fd failed')),
    'exit-code-first-failure-wins': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a,fail-eq,skip-require'], code=98,
        stdout=lines(r'Subtest pass-a: SUCCESS .*', r'Subtest skip-require: SKIP .*',
                     r'Subtest fail-eq: FAIL .*')),
    'exit-code-pass-beats-skip': dict(
        bin=SUBTESTS, args=['--run-subtest', 'skip-require,pass-b'], code=0,
        stdout=lines(r'Subtest pass-b: SUCCESS .*', r'Subtest skip-require: SKIP .*')),
    'warnings-on-stderr': dict(
        bin=SUBTESTS, args=['--run-subtest', 'warn'], code=0,
        stderr=lines(r'\(core_subtests:\d+\) WARNING: something odd',
                     r'\(core_subtests:\d+\) WARNING: Warning on condition 1 \+ 1 == 2 in function __igt_main_body, file .*core_subtests\.c:\d+'),
        stdout=lines(r'still running after warnings', r'Subtest warn: SUCCESS .*')),
    'fixture-skip-propagates': dict(
        bin=SUBTESTS, args=['--run-subtest', 'group-skip-*,after-skip-group'], code=0,
        stdout=lines(r'group requirement absent', r'Subtest group-skip-a: SKIP \(0\.000s\)',
                     r'Subtest group-skip-b: SKIP \(0\.000s\)',
                     r'Starting subtest: after-skip-group', r'runs after the skipped group',
                     r'Subtest after-skip-group: SUCCESS .*'),
        stdout_not=[r'Starting subtest: group-skip', r'not reached']),
    'fixture-skip-only-exit-77': dict(
        bin=SUBTESTS, args=['--run-subtest', 'group-skip-a'], code=77,
        stdout=lines(r'Subtest group-skip-a: SKIP \(0\.000s\)')),
    # A failing fixture fails the later subtests of its group, which print only a FAIL line,
    # and (as in IGT) the binary's exit code even when those subtests were not selected.
    'fixture-fail-propagates': dict(
        bin='core_fixture_fail', args=[], code=98,
        stdout=lines(r'Subtest before: SUCCESS .*', r'Subtest group-fail-a: FAIL \(0\.000s\)',
                     r'Subtest group-fail-b: FAIL \(0\.000s\)', r'Starting subtest: after',
                     r'Subtest after: SUCCESS .*'),
        stdout_not=[r'Starting subtest: group-fail', r'not reached'],
        stderr=lines(r'.*CRITICAL: Failed assertion: false', r'.*CRITICAL: group fixture broke',
                     r'Test core_fixture_fail failed\.', r'\*\*\*\* DEBUG \*\*\*\*',
                     r'\*\*\*\*  END  \*\*\*\*')),
    'fixture-fail-sets-exit-code': dict(
        bin='core_fixture_fail', args=['--run-subtest', 'after'], code=98,
        stdout=lines(r'Subtest after: SUCCESS .*'), stdout_not=[r'Subtest group-fail']),
    'dynamic-mixed-fails': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-mixed'], code=98,
        stdout=lines(r'Starting subtest: dyn-mixed', r'Starting dynamic subtest: d-pass',
                     r'Dynamic subtest d-pass: SUCCESS \(\d+\.\d{3}s\)',
                     r'Starting dynamic subtest: d-skip', r'Dynamic subtest d-skip: SKIP .*',
                     r'Starting dynamic subtest: d-fail-1', r'Dynamic subtest d-fail-1: FAIL .*',
                     r'Starting dynamic subtest: d-after', r'Dynamic subtest d-after: SUCCESS .*',
                     r'Subtest dyn-mixed: FAIL .*'),
        stderr=lines(r'.*CRITICAL: error: 1 != 2', r'Dynamic subtest d-fail-1 failed\.')),
    'dynamic-none-passed-skips': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-all-skip'], code=77,
        stdout=lines(r'Dynamic subtest s1: SKIP .*', r'Dynamic subtest s2: SKIP .*',
                     r'No dynamic tests executed\.', r'Subtest dyn-all-skip: SKIP .*')),
    'dynamic-empty-skips': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-empty'], code=77,
        stdout=lines(r'Starting subtest: dyn-empty', r'No dynamic tests executed\.',
                     r'Subtest dyn-empty: SKIP .*')),
    'dynamic-pass': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-pass'], code=0,
        stdout=lines(r'Dynamic subtest one: SUCCESS .*', r'Dynamic subtest two: SKIP .*',
                     r'Subtest dyn-pass: SUCCESS .*'),
        stdout_not=[r'No dynamic tests executed']),
    'dynamic-filter': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-mixed', '--dynamic-subtest', 'd-after'],
        code=0,
        stdout=lines(r'Starting dynamic subtest: d-after', r'Dynamic subtest d-after: SUCCESS .*',
                     r'Subtest dyn-mixed: SUCCESS .*'),
        stdout_not=[r'd-pass', r'd-fail', r'd-skip']),
    'dynamic-filter-no-match-skips': dict(
        bin=SUBTESTS, args=['--run-subtest', 'dyn-pass', '--dynamic-subtest', 'nope'], code=77,
        stdout=lines(r'No dynamic tests executed\.', r'Subtest dyn-pass: SKIP .*'),
        stdout_not=[r'Starting dynamic subtest']),
    'timeout-fails-subtest': dict(
        bin=SUBTESTS, args=['--run-subtest', 'timeout,pass-b'], code=98,
        stdout=lines(r'Subtest pass-b: SUCCESS .*', r'Starting subtest: timeout',
                     r'Timed out: sleeping on purpose', r'Stack trace:',
                     r'  #\d+ \S*core_subtests\.c:\d+ __igt_main_body\(\)',
                     r'Subtest timeout: FAIL \([12]\.\d{3}s\)'),
        stdout_not=[r'not reached']),
    # The timeout fires while the test holds the log lock most of the time: it must not hang.
    'timeout-while-logging': dict(
        bin=SUBTESTS, args=['--run-subtest', 'timeout-while-logging'], code=98,
        stdout=lines(r'Timed out: logging on purpose',
                     r'Subtest timeout-while-logging: FAIL \([12]\.\d{3}s\)')),
    'fork-child-failure-fails': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fork-fail'], code=98,
        stdout=lines(r'Subtest fork-fail: FAIL .*'), stdout_not=[r'not reached'],
        stderr=lines(r'.*CRITICAL: error: 1 != 0',
                     r'.*CRITICAL: child 1 \(pid \d+\) failed with exit status 98',
                     r'Subtest fork-fail failed\.')),
    'fork-children-pass': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fork-pass'], code=0,
        stdout=lines(r'children passed', r'Subtest fork-pass: SUCCESS .*')),
    # A child killed on purpose and reaped with __igt_waitchildren() is not reported: a
    # message on stderr would turn the subtest into a runner "warn".
    'fork-child-killed-silently-reaped': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fork-kill-reap'], code=0,
        stdout=lines(r'reaped status 137', r'Subtest fork-kill-reap: SUCCESS .*'),
        stderr_exact=''),
    'fork-child-signal-fails': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fork-signal'], code=137,
        stdout=lines(r'Subtest fork-signal: FAIL .*'),
        stderr=lines(r'.*CRITICAL: child 0 \(pid \d+\) died with signal 9, Killed')),
    'fork-waitchildren-timeout': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fork-timeout'], code=98,
        stdout=lines(r'Subtest fork-timeout: FAIL \([12]\.\d{3}s\)'),
        stdout_not=[r'not reached'],
        stderr=lines(r'.*CRITICAL: Timed out waiting for children: child stuck on purpose',
                     r'Subtest fork-timeout failed\.')),
    'thread-failure-fails-subtest': dict(
        bin=SUBTESTS, args=['--run-subtest', 'thread-fail'], code=98,
        stdout=lines(r'main thread carries on after the thread failed',
                     r'Subtest thread-fail: FAIL .*'),
        stderr=lines(r'.*CRITICAL: error: 1 != 2',
                     r'.*CRITICAL: check failed on a helper thread; its subtest will fail',
                     r'Subtest thread-fail failed\.')),
    'formatted-name': dict(
        bin=SUBTESTS, args=['--run-subtest', 'fmt-7-x'], code=0,
        stdout=lines(r'in fmt-7-x', r'Subtest fmt-7-x: SUCCESS .*')),
    'until-timeout': dict(
        bin=SUBTESTS, args=['--run-subtest', 'until-timeout'], code=0,
        stdout=lines(r'looped', r'Subtest until-timeout: SUCCESS \([12]\.\d{3}s\)')),
    'sentinels-on-stderr': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a,skip-require,dyn-pass'],
        env={'IGT_SENTINEL_ON_STDERR': '1'}, code=0,
        stderr_exact_re=(r'Starting subtest: pass-a\nSubtest pass-a: SUCCESS \(\d+\.\d{3}s\)\n'
                         r'Starting subtest: skip-require\nSubtest skip-require: SKIP \(\d+\.\d{3}s\)\n'
                         r'Starting subtest: dyn-pass\nStarting dynamic subtest: one\n'
                         r'Dynamic subtest one: SUCCESS \(\d+\.\d{3}s\)\n'
                         r'Starting dynamic subtest: two\nDynamic subtest two: SKIP \(\d+\.\d{3}s\)\n'
                         r'Subtest dyn-pass: SUCCESS \(\d+\.\d{3}s\)\n')),
    'no-sentinels-by-default': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a'], code=0, stderr_exact='',
        stdout=lines(r'Starting subtest: pass-a', r'Subtest pass-a: SUCCESS .*')),
    'no-escapes-when-piped': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a'], code=0, stdout_not=[r'.*\x1b'],
        stdout=lines(r'Subtest pass-a: SUCCESS \(\d+\.\d{3}s\)')),
    # The [IGT] markers igt_runner uses to attribute kernel messages to subtests.
    'kmsg-markers': dict(
        bin=SUBTESTS, args=['--run-subtest', 'pass-a,dyn-pass'], code=0,
        stdout=lines(r'Subtest dyn-pass: SUCCESS .*'),
        kmsg=lines(r'\[IGT\] core_subtests: executing',
                   r'\[IGT\] core_subtests: starting subtest pass-a',
                   r'\[IGT\] core_subtests: starting subtest dyn-pass',
                   r'\[IGT\] core_subtests: starting dynamic subtest one',
                   r'\[IGT\] core_subtests: starting dynamic subtest two',
                   r'\[IGT\] core_subtests: exiting, ret=0')),
    'kmsg-exit-code-marker': dict(
        bin=SUBTESTS, args=['--run-subtest', 'skip-require'], code=77,
        stdout=lines(r'Subtest skip-require: SKIP .*'),
        kmsg=lines(r'\[IGT\] core_subtests: starting subtest skip-require',
                   r'\[IGT\] core_subtests: exiting, ret=77')),
    'kmsg-no-markers-when-listing': dict(
        bin=SUBTESTS, args=['--list-subtests'], code=0, stdout=lines(r'pass-a'),
        kmsg_not=[r'\[IGT\] core_subtests: .*']),
    'describe-all': dict(
        bin=SUBTESTS, args=['--describe'], code=0,
        stdout=lines(r'Known-outcome subtests for the core protocol self-tests\.', r'',
                     r'SUB pass-a .*core_subtests\.c:\d+:', r'  Always passes\.', r'',
                     r'SUB pass-b .*core_subtests\.c:\d+:',
                     r'  A description long enough to be wrapped: --describe indents it by two spaces',
                     r'  and breaks it at word boundaries so that no line is longer than eighty',
                     r'  columns\.', r'',
                     r'SUB skip-require .*core_subtests\.c:\d+:', r'  NO DOCUMENTATION!', r'',
                     r'SUB group-skip-a .*:\d+:', r'  Group whose fixture skips\.',
                     r'  First of the skipped group\.', r'',
                     r'SUB group-skip-b .*:\d+:', r'  Group whose fixture skips\.', r'',
                     r'SUB after-skip-group .*:\d+:', r'  NO DOCUMENTATION!'),
        stdout_not=[r'top fixture ran', r'IGT-Version', r'Starting subtest']),
    'describe-pattern': dict(
        bin=SUBTESTS, args=['--describe=pass-a'], code=0,
        stdout_exact_re=(r'Known-outcome subtests for the core protocol self-tests\.\n\n'
                         r'SUB pass-a \S*core_subtests\.c:\d+:\n  Always passes\.\n\n')),
    'help-description': dict(
        bin=SUBTESTS, args=['--help-description'], code=0,
        stdout_exact='Known-outcome subtests for the core protocol self-tests.\n'),
    'help': dict(
        bin=SUBTESTS, args=['--help'], code=0,
        stdout=lines(r'Usage: core_subtests \[OPTIONS\]', r'  --list-subtests',
                     r'  --run-subtest <pattern>', r'  --dynamic-subtest <pattern>')),
    'unknown-option': dict(
        bin=SUBTESTS, args=['--no-such-option'], code=79,
        stderr=lines(r'Usage: core_subtests \[OPTIONS\]'), stdout_not=[r'Starting subtest']),
    'full-run': dict(
        bin=SUBTESTS, args=[], code=98,
        stdout=lines(*[r'Subtest %s: %s \(\d+\.\d{3}s\)' % (s, r) for s, r in [
            ('pass-a', 'SUCCESS'), ('pass-b', 'SUCCESS'), ('skip-require', 'SKIP'),
            ('skip-require-f', 'SKIP'), ('fail-eq', 'FAIL'), ('fail-eq-u64', 'FAIL'),
            ('fail-lt', 'FAIL'), ('fail-assert-f', 'FAIL'), ('fail-fd', 'FAIL'),
            ('warn', 'SUCCESS'), ('group-skip-a', 'SKIP'), ('group-skip-b', 'SKIP'),
            ('after-skip-group', 'SUCCESS'), ('dyn-mixed', 'FAIL'),
            ('dyn-all-skip', 'SKIP'), ('dyn-pass', 'SUCCESS'), ('dyn-empty', 'SKIP'),
            ('timeout', 'FAIL'), ('timeout-while-logging', 'FAIL'), ('fork-fail', 'FAIL'), ('fork-pass', 'SUCCESS'),
            ('fork-signal', 'FAIL'), ('fork-kill-reap', 'SUCCESS'), ('fork-timeout', 'FAIL'),
            ('thread-fail', 'FAIL'), ('fmt-7-x', 'SUCCESS'),
            ('until-timeout', 'SUCCESS')]]),
        stdout_not=[r'not reached'], count={r'top fixture ran': 1}),
    'simple-pass': dict(
        bin='core_simple', args=[], code=0,
        stdout=lines(r'IGT-Version: .*', r'simple mode pass', r'SUCCESS \(\d+\.\d{3}s\)'),
        stderr_exact=''),
    'simple-skip': dict(
        bin='core_simple', args=[], env={'CORE_SIMPLE_MODE': 'skip'}, code=77,
        stdout=lines(r'Test requirement: strcmp\(mode, "skip"\) != 0', r'SKIP \(\d+\.\d{3}s\)')),
    'simple-fail': dict(
        bin='core_simple', args=[], env={'CORE_SIMPLE_MODE': 'fail'}, code=98,
        stdout=lines(r'FAIL \(\d+\.\d{3}s\)'),
        stderr=lines(r'.*CRITICAL: asked to fail', r'Test core_simple failed\.')),
    'invalid-name': dict(
        bin='core_invalid_name', args=['--list-subtests'], code=79,
        stdout_exact='good-name\n',
        stderr=lines(r'.*CRITICAL: Invalid subtest name "bad name!"\.')),
    'crash': dict(
        bin='core_crash', args=[], code=139,
        stdout=lines(r'Subtest before: SUCCESS .*', r'Starting subtest: crash-segv',
                     r'Subtest crash-segv: CRASH \(\d+\.\d{3}s\)', r'Starting subtest: after',
                     r'after the crash', r'Subtest after: SUCCESS .*'),
        stderr=lines(r'Received signal SIGSEGV\.', r'Stack trace:',
                     r'  #0 \S*core_crash\.c:\d+ __igt_main_body\(\)')),
    # A runner's per-test timeout sends SIGQUIT: the stack says where the test was.
    'sigquit-backtrace': dict(
        bin=SUBTESTS, args=['--run-subtest', 'timeout'], quit_after=0.5, code=131,
        stderr=lines(r'Received signal SIGQUIT\.', r'Stack trace:',
                     r'  #\d+ \S*core_subtests\.c:\d+ __igt_main_body\(\)')),
    'options-handler': dict(
        bin='core_options', args=['--rounds', '42', '--dry-run'], code=0,
        stdout=lines(r'rounds=42 dry_run=1', r'Subtest show-options: SUCCESS .*')),
    'options-short': dict(
        bin='core_options', args=['-r', '0x10'], code=0, stdout=lines(r'rounds=16 dry_run=0')),
    'options-handler-error': dict(
        bin='core_options', args=['--rounds', 'pony'], code=79,
        stderr=lines(r'Usage: core_options \[OPTIONS\]', r'  --rounds=N\tnumber of rounds'),
        stdout_not=[r'Starting subtest']),
    'options-help-lists-test-options': dict(
        bin='core_options', args=['--help'], code=0,
        stdout=lines(r'Usage: core_options \[OPTIONS\]', r'  --list-subtests',
                     r'  --rounds=N\tnumber of rounds', r'  --dry-run\tonly show the options')),
    'drm-open-no-device-skips': dict(
        bin='core_drm', args=[], env={'IGT_FORCE_DRIVER': 'no-such-driver'}, code=77,
        stdout=lines(r'Test requirement not met in function open_or_skip, file .*drmtest\.c:\d+:',
                     r'Test requirement: !\(fd < 0\)',
                     r'No known gpu found for chipset flags 0x800 \(panthor\)',
                     r'SKIP \(\d+\.\d{3}s\)')),
}


def check_lines(text, patterns, what, errors):
    out = text.split('\n')
    pos = 0
    for pat in patterns:
        rx = re.compile(pat)
        while pos < len(out) and not rx.fullmatch(out[pos]):
            pos += 1
        if pos == len(out):
            errors.append('%s: no line matching %r (in order)' % (what, pat))
            return
        pos += 1


SKIP = 77


def open_kmsg():
    """The kernel log positioned at its end, or None if it cannot be read and written."""
    try:
        fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
        os.close(os.open('/dev/kmsg', os.O_WRONLY))
    except OSError as e:
        print('cannot use /dev/kmsg: %s' % e)
        return None
    os.lseek(fd, 0, os.SEEK_END)
    return fd


def read_kmsg(fd):
    """Message texts logged since open_kmsg()."""
    msgs = []
    while True:
        try:
            rec = os.read(fd, 8192).decode(errors='replace')
        except BlockingIOError:
            break
        except BrokenPipeError:
            continue
        msgs.append(rec.split(';', 1)[1].split('\n', 1)[0] if ';' in rec else rec)
    os.close(fd)
    return msgs


def run_case(bindir, name):
    case = CASES[name]
    kmsg_fd = None
    if 'kmsg' in case or 'kmsg_not' in case:
        kmsg_fd = open_kmsg()
        if kmsg_fd is None:
            return SKIP
    env = dict(os.environ)
    for k in ('IGT_SENTINEL_ON_STDERR', 'IGT_LOG_LEVEL', 'IGT_FORCE_DRIVER', 'CORE_SIMPLE_MODE'):
        env.pop(k, None)
    env.update(case.get('env', {}))
    cmd = [os.path.join(bindir, case['bin'])] + case['args']
    if 'quit_after' in case:
        p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        time.sleep(case['quit_after'])
        p.send_signal(signal.SIGQUIT)
        p.stdout, p.stderr = p.communicate(timeout=60)
    else:
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
    # Compare text, not bytes; sanitizer reports (if any) stay visible in the stderr dump.
    stdout = p.stdout.decode(errors='replace')
    stderr = p.stderr.decode(errors='replace')
    code = p.returncode if p.returncode >= 0 else 128 - p.returncode
    errors = []
    if kmsg_fd is not None:
        kmsg = '\n'.join(read_kmsg(kmsg_fd))
        print('--- kernel log ---\n' + kmsg)
        check_lines(kmsg, case.get('kmsg', []), 'kmsg', errors)
        for pat in case.get('kmsg_not', []):
            for line in kmsg.split('\n'):
                if re.fullmatch(pat, line):
                    errors.append('kmsg: unexpected %r' % line)

    if code != case['code']:
        errors.append('exit code %d, expected %d' % (code, case['code']))
    for stream, text in (('stdout', stdout), ('stderr', stderr)):
        if stream + '_exact' in case and text != case[stream + '_exact']:
            errors.append('%s differs from the exact expectation %r' %
                          (stream, case[stream + '_exact']))
        if stream + '_exact_re' in case and not re.fullmatch(case[stream + '_exact_re'], text):
            errors.append('%s does not match %r' % (stream, case[stream + '_exact_re']))
        check_lines(text, case.get(stream, []), stream, errors)
        for pat in case.get(stream + '_not', []):
            for line in text.split('\n'):
                if re.match(pat, line):
                    errors.append('%s: unexpected line %r (matches %r)' % (stream, line, pat))
    for pat, n in case.get('count', {}).items():
        got = sum(1 for line in stdout.split('\n') if re.fullmatch(pat, line))
        if got != n:
            errors.append('stdout: %d lines match %r, expected %d' % (got, pat, n))

    print('$ ' + ' '.join(cmd) + ''.join(' %s=%s' % kv for kv in case.get('env', {}).items()))
    print('exit code: %d' % code)
    print('--- stdout ---\n' + stdout + '--- stderr ---\n' + stderr + '---')
    if errors:
        for e in errors:
            print('FAILED: ' + e)
        return 1
    print('all %d expectation groups hold' % (1 + sum(
        1 for k in case if k.startswith(('stdout', 'stderr', 'count')))))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--bindir')
    ap.add_argument('case', nargs='?')
    a = ap.parse_args()
    if a.list:
        for name, case in CASES.items():
            # A case must require something to be seen, not only something to be absent.
            assert any(k in case for k in ('stdout', 'stderr', 'stdout_exact', 'stderr_exact',
                                           'stdout_exact_re', 'stderr_exact_re', 'kmsg')), name
        print('\n'.join(CASES))
        return 0
    if not a.bindir or a.case not in CASES:
        ap.error('need --bindir and a known case')
    return run_case(a.bindir, a.case)


if __name__ == '__main__':
    sys.exit(main())
