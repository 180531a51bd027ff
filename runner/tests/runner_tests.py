#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of igt_panthor_runner against the fake binaries in testroot/.

Usage: runner_tests.py CASE --runner PATH --srcdir DIR [--fake-model PATH]
       runner_tests.py --update-golden ...   (rewrite golden files; review the diff!)

Each case runs the runner in a fresh temporary directory and asserts on its
exit code, stderr, results.json, results.csv, failures.csv, junit.xml and
report.html. A failed assertion prints what was expected and what came.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ARGS = None
TMP = None

BASIC_SELECTION = ["-x", "fake_(hang|abort|flaky|env|more)"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def eq(actual, expected, what):
    if actual != expected:
        fail("%s:\n  expected: %r\n  actual:   %r" % (what, expected, actual))


def env():
    e = dict(os.environ)
    e["FAKE_KMSG"] = os.path.join(TMP, "kmsg")
    e["FAKE_STATE"] = os.path.join(TMP, "state")
    e["FAKE_TAINT"] = os.path.join(TMP, "taint")
    e.pop("IGT_TEST_ROOT", None)
    # the fake model is not built with the sanitizer runtime
    e["ASAN_OPTIONS"] = e.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    return e


def testroot():
    return os.path.join(ARGS.srcdir, "testroot")


def results_dir(name="results"):
    return os.path.join(TMP, name)


def ignore_sigquit_sigint():
    """As a non-interactive shell starts a background job: SIGINT and SIGQUIT ignored."""
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(*args, kmsg=True, root=True, expect_rc=None, timeout=120, cwd=None, preexec=None):
    # the fakes need no model; a later --model on the command line overrides this
    cmd = [ARGS.runner, "--no-model"]
    if root:
        cmd += ["--test-root", testroot()]
    if kmsg:
        cmd += ["--kmsg-file", os.path.join(TMP, "kmsg")]
    # the host's own taint flags are not the tests' business
    cmd += ["--taint-file", os.path.join(TMP, "taint")]
    cmd += list(args)
    p = subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=timeout,
                       cwd=cwd, preexec_fn=preexec)
    if expect_rc is not None and p.returncode != expect_rc:
        fail("%s exited %d, expected %d\nstdout:\n%s\nstderr:\n%s"
             % (" ".join(cmd), p.returncode, expect_rc, p.stdout, p.stderr))
    return p


def load_results(d=None):
    with open(os.path.join(d or results_dir(), "results.json")) as f:
        return json.load(f)


def csv_rows(name, d=None):
    with open(os.path.join(d or results_dir(), name)) as f:
        return [line.rstrip("\n").split(",") for line in f if line.strip()]


def statuses(d=None):
    return {row[0]: row[1] for row in csv_rows("deqp-results.csv", d)}


def results_of(d=None):
    return {k: v["result"] for k, v in load_results(d)["tests"].items()}


def normalize(res):
    """Drops what differs between machines and runs: times, paths, uname."""
    res["uname"] = ""
    res["time_elapsed"]["start"] = res["time_elapsed"]["end"] = 0.0
    for t in res["tests"].values():
        t["time"]["end"] = 0.0
    for r in res["runtimes"].values():
        r["time"]["end"] = 0.0
    res["igt_panthor"]["kmsg"] = "KMSG"
    cfg = res["igt_panthor"]["config"]
    for key, val in (("kmsg", "KMSG"), ("command_line", "COMMAND LINE"),
                     ("suite_version", "VERSION"), ("taint_at_start", "TAINT")):
        if key in cfg:
            cfg[key] = val
    return res


def golden(name, text):
    path = os.path.join(ARGS.srcdir, "golden", name)
    if ARGS.update_golden:
        with open(path, "w") as f:
            f.write(text)
        return
    with open(path) as f:
        want = f.read()
    if want != text:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                            "golden/" + name, "actual"))
        fail("output differs from golden/%s:\n%s" % (name, diff))


def one_error_line(p, needle):
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    eq(len(lines), 1, "number of stderr lines (%r)" % p.stderr)
    check(lines[0].startswith("igt_panthor_runner: error: "), "error prefix: %r" % lines[0])
    check(needle in lines[0], "error line %r should mention %r" % (lines[0], needle))


# ---------------------------------------------------------------- cases

def case_basic():
    """Every result kind; results.json and results.csv against the goldens."""
    p = run("--name", "golden", *BASIC_SELECTION, results_dir(), expect_rc=1)
    res = load_results()
    eq(res["results_version"], 10, "results_version")
    eq(res["__type__"], "TestrunResult", "__type__")
    golden("basic-results.json", json.dumps(normalize(res), indent=2, sort_keys=True) + "\n")
    csv = "".join("%s,%s,0.000\n" % (r[0], r[1]) for r in csv_rows("deqp-results.csv"))
    golden("basic-results.csv", csv)
    golden("basic-failures.csv", "".join(",".join(r) + "\n" for r in csv_rows("failures.csv")))
    # the summary is printed even when stdout is not a terminal, progress lines are not
    check("igt-panthor: 15 tests on none" in p.stdout, "summary line in %r" % p.stdout)
    check("[1/" not in p.stdout, "no progress lines when not a terminal")
    meta = open(os.path.join(results_dir(), "metadata.txt")).read()
    check("per_test_timeout : 300.000\n" in meta, "default per-test timeout: " + meta)
    # one job per subtest plus three re-runs of the unexpected results
    jobs = [l for l in open(os.path.join(results_dir(), "joblist.txt")) if l.startswith("run ")]
    eq(len(jobs), 13 + 3, "jobs in joblist.txt")
    out = res["tests"]["igt@panthor/fake_basic@binary-output"]["out"]
    check("raw ?? bytes \u0001 <tag>" in out, "invalid UTF-8 replaced, the rest kept: %r" % out)
    eq(len([j for j in jobs if j.startswith("run 2 ")]), 3, "re-run jobs")


def case_reports():
    """junit.xml parses and agrees with results.csv; report.html is self-contained."""
    run(*BASIC_SELECTION, results_dir(), expect_rc=1)
    st = statuses()
    suite = ET.parse(os.path.join(results_dir(), "junit.xml")).getroot().find("testsuite")
    cases = suite.findall("testcase")
    eq(len(cases), len(st), "junit testcases")
    failed = sorted(c.get("name") for c in cases if c.find("failure") is not None)
    eq(failed, sorted(r[0] for r in csv_rows("failures.csv")), "junit failures")
    eq(int(suite.get("failures")), 3, "junit failure count")
    eq(int(suite.get("skipped")), 2, "junit skipped count")
    html = open(os.path.join(results_dir(), "report.html")).read()
    check(html.startswith("<!DOCTYPE html>"), "report.html doctype")
    check("<style>" in html, "inline CSS")
    for banned in ("http://", "https://", "<script", "<link"):
        check(banned not in html, "report.html must not contain %r" % banned)
    # failures first: the crash comes before any pass
    check(html.index("fake_crash@crash-abort") < html.index("fake_basic@pass-a"),
          "failures listed before passes")
    check("panthor fb000000.gpu: fake warning" in html, "dmesg shown in report.html")
    check("about to abort" in html, "test output shown in report.html")
    check("raw ?? bytes ? &lt;tag&gt; &amp; &quot;quote&quot;" in html, "output escaped in HTML")


def case_multiple():
    """-m: one execution for all subtests of a binary, same per-subtest results."""
    run("-t", "fake_basic", "--no-rerun", results_dir("single"), expect_rc=1)
    run("-m", "-t", "fake_basic", "--no-rerun", results_dir(), expect_rc=1)
    jobs = [l.split() for l in open(os.path.join(results_dir(), "joblist.txt"))]
    eq(len(jobs), 1, "one job in multiple mode")
    eq(jobs[0][3].count(","), 9, "all ten subtests in the job")
    single = results_of(results_dir("single"))
    multi = results_of()
    # in one execution the log of earlier subtests precedes later markers; results must agree
    eq(multi, single, "per-subtest results in -m vs single mode")


def case_timeout():
    """A hung subtest is killed after --per-test-timeout and recorded as timeout."""
    start = time.time()
    run("-t", "fake_hang@(hang|after)", "--per-test-timeout", "1", "--kill-grace", "1",
        "--no-rerun", results_dir(), expect_rc=1)
    took = time.time() - start
    check(took < 15, "the hung test was not killed in time (%.1fs)" % took)
    r = results_of()
    eq(r["igt@panthor/fake_hang@hang"], "timeout", "hung subtest")
    eq(r["igt@panthor/fake_hang@after"], "pass", "the run goes on after a timeout")
    eq(statuses()["panthor/fake_hang@hang"], "Timeout", "csv status")
    journal = open(os.path.join(results_dir(), "0", "journal.txt")).read()
    check("timeout:" in journal, "journal records the timeout: %r" % journal)
    check("Per-test timeout exceeded" in load_results()["tests"]["igt@panthor/fake_hang@hang"]["err"],
          "timeout message in err")


def case_overall_timeout():
    """--overall-timeout: what was not started is notrun (Missing).

    The runner is started with SIGQUIT and SIGINT ignored, as a CI script's background job
    is: the test must still get the default SIGQUIT of the timeout and die at the deadline.
    """
    tl = os.path.join(TMP, "list.txt")
    with open(tl, "w") as f:
        f.write("igt@panthor/fake_hang@slow\nigt@panthor/fake_basic@pass-a\n"
                "igt@panthor/fake_basic@pass-b\n")
    run("--test-list", tl, "--overall-timeout", "1", "--kill-grace", "1", results_dir(),
        expect_rc=1, preexec=ignore_sigquit_sigint)
    r = results_of()
    eq(r["igt@panthor/fake_hang@slow"], "timeout", "test running at the deadline")
    eq(r["igt@panthor/fake_basic@pass-a"], "notrun", "later test")
    eq(r["igt@panthor/fake_basic@pass-b"], "notrun", "later test")
    eq(statuses()["panthor/fake_basic@pass-a"], "Missing", "csv status of notrun")
    check(load_results()["igt_panthor"]["stopped"], "stopped reason recorded")


def case_abort():
    """Exit 112 stops the run; the rest is notrun."""
    tl = os.path.join(TMP, "list.txt")
    with open(tl, "w") as f:
        f.write("# comment line\nigt@panthor/fake_basic@pass-a\n\n"
                "igt@panthor/fake_abort@abort-now  # trailing comment\n"
                "igt@panthor/fake_basic@pass-b\n")
    run("--test-list", tl, results_dir(), expect_rc=1)
    r = results_of()
    eq(r, {"igt@panthor/fake_basic@pass-a": "pass",
           "igt@panthor/fake_abort@abort-now": "abort",
           "igt@panthor/fake_basic@pass-b": "notrun"}, "results after an abort")
    check(os.path.exists(os.path.join(results_dir(), "aborted.txt")), "aborted.txt written")
    check(load_results()["igt_panthor"]["aborted"], "abort recorded in results.json")


def case_test_list():
    """--test-list order, dynamic entries, bare binaries; --list; -t/-x."""
    tl = os.path.join(TMP, "list.txt")
    with open(tl, "w") as f:
        f.write("igt@panthor/fake_basic@dyn@beta\nigt@fake_simple\nigt@panthor/fake_crash\n")
    p = run("--test-list", tl, "--list", kmsg=False, expect_rc=0)
    eq(p.stdout.split(), ["igt@panthor/fake_basic@dyn@beta", "igt@fake_simple",
                          "igt@panthor/fake_crash@crash-abort", "igt@panthor/fake_crash@ok"],
       "--list with a test list")
    check(not os.path.exists(results_dir()), "--list creates no results")
    run("--test-list", tl, "-x", "crash", results_dir(), expect_rc=0)
    eq(results_of(), {"igt@panthor/fake_basic@dyn@beta": "skip", "igt@fake_simple": "pass"},
       "dynamic subtest run alone")
    p = run("--list", "-t", "fake_basic@pass", "-t", "simple", "-x", "pass-b", kmsg=False,
            expect_rc=0)
    eq(p.stdout.split(), ["igt@panthor/fake_basic@pass-a", "igt@fake_simple"], "-t/-x")
    # progress lines, forced on (they are on by default only on a terminal)
    p = run("-t", "fake_basic@(pass-a|dyn)", "--progress", results_dir("progress"), expect_rc=0)
    lines = [l for l in p.stdout.splitlines() if l.startswith("[")]
    eq(lines, ["[1/2] igt@panthor/fake_basic@pass-a pass 0.010s",
               "[2/2] igt@panthor/fake_basic@dyn@alpha pass 0.005s",
               "[2/2] igt@panthor/fake_basic@dyn@beta skip 0.005s",
               "[2/2] igt@panthor/fake_basic@dyn pass 0.010s"], "progress lines")
    # no results directory given: a fresh results-<date-time> in the current directory
    work = os.path.join(TMP, "cwd")
    os.makedirs(work)
    run("-t", "fake_basic@pass-a", expect_rc=0, cwd=work)
    made = os.listdir(work)
    eq(len(made), 1, "one default results directory")
    check(made[0].startswith("results-"), "default name %r" % made[0])
    eq(results_of(os.path.join(work, made[0])), {"igt@panthor/fake_basic@pass-a": "pass"},
       "results in the default directory")


def case_resume():
    """A runner killed mid-run (machine died) leaves a journal --resume continues."""
    tl = os.path.join(TMP, "list.txt")
    with open(tl, "w") as f:
        f.write("igt@panthor/fake_basic@pass-a\nigt@panthor/fake_hang@hang\n"
                "igt@panthor/fake_basic@pass-b\n")
    cmd = [ARGS.runner, "--no-model", "--test-root", testroot(), "--kmsg-file", os.path.join(TMP, "kmsg"),
           "--test-list", tl, "--no-rerun", results_dir()]
    p = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = os.path.join(results_dir(), "1", "journal.txt")
    for _ in range(200):
        if os.path.exists(journal) and "hang" in open(journal).read():
            break
        time.sleep(0.05)
    else:
        p.kill()
        fail("the hanging test never started")
    p.kill()            # SIGKILL: nothing is written after this
    p.wait()
    open(os.path.join(TMP, "state", "stop"), "w").close()   # let the orphan finish
    check(not os.path.exists(os.path.join(results_dir(), "results.json")),
          "no results.json before resume")
    out_a = open(os.path.join(results_dir(), "0", "out.txt")).read()
    run("--resume", results_dir(), root=False, kmsg=False, expect_rc=1)
    eq(results_of(), {"igt@panthor/fake_basic@pass-a": "pass",
                      "igt@panthor/fake_hang@hang": "incomplete",
                      "igt@panthor/fake_basic@pass-b": "pass"}, "results after --resume")
    eq(open(os.path.join(results_dir(), "0", "out.txt")).read(), out_a,
       "finished test not run again")
    check("resumed" in open(journal).read(), "journal of the cut job marked resumed")
    jobs = [l for l in open(os.path.join(results_dir(), "joblist.txt")) if l.startswith("run ")]
    eq(len(jobs), 3, "nothing re-queued: pass-b was never started, hang is the suspect")


def case_interrupt_resume():
    """SIGTERM: results for what finished at once; --resume runs the rest."""
    tl = os.path.join(TMP, "list.txt")
    with open(tl, "w") as f:
        f.write("igt@panthor/fake_basic@pass-a\nigt@panthor/fake_hang@slow\n"
                "igt@panthor/fake_basic@pass-b\n")
    cmd = [ARGS.runner, "--no-model", "--test-root", testroot(), "--kmsg-file", os.path.join(TMP, "kmsg"),
           "--test-list", tl, results_dir()]
    p = subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    journal = os.path.join(results_dir(), "1", "journal.txt")
    for _ in range(200):
        if os.path.exists(journal) and "slow" in open(journal).read():
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    eq(p.returncode, 1, "exit code after SIGTERM")
    eq(results_of(), {"igt@panthor/fake_basic@pass-a": "pass",
                      "igt@panthor/fake_hang@slow": "notrun",
                      "igt@panthor/fake_basic@pass-b": "notrun"}, "results when interrupted")
    run("--resume", results_dir(), root=False, kmsg=False, expect_rc=0)
    eq(results_of(), {"igt@panthor/fake_basic@pass-a": "pass",
                      "igt@panthor/fake_hang@slow": "pass",
                      "igt@panthor/fake_basic@pass-b": "pass"}, "results after --resume")


def case_regenerate():
    """--regenerate rebuilds identical outputs from the journal."""
    run(*BASIC_SELECTION, results_dir(), expect_rc=1)
    before = open(os.path.join(results_dir(), "deqp-results.csv")).read()
    jbefore = normalize(load_results())
    for f in ("results.json", "deqp-results.csv"):
        os.unlink(os.path.join(results_dir(), f))
    run("--regenerate", results_dir(), root=False, kmsg=False, expect_rc=1)
    eq(open(os.path.join(results_dir(), "deqp-results.csv")).read(), before, "regenerated csv")
    eq(normalize(load_results()), jbefore, "regenerated results.json")


def shard_lists(n, *extra):
    out = []
    for k in range(1, n + 1):
        p = run("--list", "--shard", "%d/%d" % (k, n), *extra, kmsg=False, expect_rc=0)
        out.append(p.stdout.split())
    return out


def case_shards():
    """--shard K/N: disjoint, complete, deterministic; balanced by --shard-timings."""
    full = run("--list", kmsg=False, expect_rc=0).stdout.split()
    shards = shard_lists(3)
    eq(sorted(sum(shards, [])), sorted(full), "shards cover the selection exactly once")
    eq(shards, shard_lists(3), "same shards twice")
    eq(shards[0], full[0::3], "round-robin without timings")
    # timings: hang@hang took 100 s, everything else 1 s: it gets a shard of its own
    timings = {"tests": {name: {"time": {"end": 100.0 if name.endswith("@hang") else 1.0}}
                         for name in full}}
    tf = os.path.join(TMP, "timings.json")
    with open(tf, "w") as f:
        json.dump(timings, f)
    shards = shard_lists(3, "--shard-timings", tf)
    eq(sorted(sum(shards, [])), sorted(full), "balanced shards cover the selection")
    eq(shards[0], ["igt@panthor/fake_hang@hang"], "the long test alone in shard 1")
    eq(abs(len(shards[1]) - len(shards[2])) <= 1, True, "the rest split evenly")
    eq(shards, shard_lists(3, "--shard-timings", tf), "same balanced shards twice")
    run("--shard", "1/2", *BASIC_SELECTION, results_dir())
    res = load_results()
    eq(res["igt_panthor"]["shard"], "1/2", "shard recorded in results.json")
    parents = sorted(set("@".join(n.split("@")[:3]) for n in res["tests"]))
    eq(parents, sorted(run("--list", "--shard", "1/2", *BASIC_SELECTION,
                                        kmsg=False).stdout.split()), "shard 1/2 ran its tests")


def case_merge():
    """--merge: the shards of a run become the run, and only the shards of one run merge."""
    def shard(k, n, name, *extra):
        run("--shard", "%d/%d" % (k, n), *BASIC_SELECTION, *extra, results_dir(name))
        return results_dir(name)

    run(*BASIC_SELECTION, results_dir("whole"), expect_rc=1)
    s1, s2 = shard(1, 2, "s1"), shard(2, 2, "s2")
    # shards in any order, with the reruns of their unexpected results
    p = run("--merge", s2, "--merge", s1, results_dir("merged"), root=False, kmsg=False,
            expect_rc=1)
    check("merged 2 shards of 2" in p.stdout, "merge summary: %r" % p.stdout)
    whole, merged = load_results(results_dir("whole")), load_results(results_dir("merged"))
    eq(sorted(merged["tests"]), sorted(whole["tests"]), "merged tests: each test once")
    eq(results_of(results_dir("merged")), results_of(results_dir("whole")), "merged results")
    eq(statuses(results_dir("merged")), statuses(results_dir("whole")), "merged statuses")
    eq(merged["igt_panthor"]["reruns"], whole["igt_panthor"]["reruns"], "merged reruns")
    eq(merged["igt_panthor"]["shard"], None, "a merged run is not a shard")
    eq(sorted(merged["totals"]), sorted(whole["totals"]), "merged totals per binary")
    eq(merged["totals"][""], whole["totals"][""], "merged totals")
    for f in ("junit.xml", "report.html", "failures.csv"):
        check(os.path.exists(os.path.join(results_dir("merged"), f)), "merged %s" % f)
    eq(len(ET.parse(os.path.join(results_dir("merged"), "junit.xml")).getroot()
           .findall(".//testcase")), len(statuses(results_dir("whole"))), "merged junit cases")
    # the merge's own expectations judge the merged run
    bl = write("merge-baseline.txt", "panthor/fake_basic@fail-one,Fail\n")
    run("--merge", s1, "--merge", s2, "--baseline", bl, "--overwrite", results_dir("merged"),
        root=False, kmsg=False)
    eq(statuses(results_dir("merged"))["panthor/fake_basic@fail-one"], "ExpectedFail",
       "merge --baseline")
    # not one run: refused with one error line, nothing written
    bad = [(["--merge", s1], "shard 2/2 is missing"),
           (["--merge", s1, "--merge", s1], "are both shard 1/2"),
           (["--merge", s1, "--merge", shard(2, 3, "s23")], "not one run"),
           (["--merge", s1, "--merge", results_dir("whole")], "not the results of a shard")]
    s1b = shard(1, 2, "s1b")
    with open(os.path.join(s1b, "metadata.txt")) as f:
        meta = f.read().replace("shard : 1/2", "shard : 2/2")
    with open(os.path.join(s1b, "metadata.txt"), "w") as f:
        f.write(meta)
    bad.append((["--merge", s1, "--merge", s1b], "is in shard 1"))
    with open(os.path.join(s2, "target.txt")) as f:
        target = f.read()
    with open(os.path.join(s2, "target.txt"), "w") as f:
        f.write(target.replace("target : none", "target : vpanthor"))
    bad.append((["--merge", s1, "--merge", s2], "ran on none, shard 2 on vpanthor"))
    for args, needle in bad:
        p = run(*args, results_dir("refused"), root=False, kmsg=False, expect_rc=2)
        one_error_line(p, needle)
        check(not os.path.exists(results_dir("refused")), "a refused merge wrote nothing")
    one_error_line(run("--merge", s1, "--shard", "1/2", results_dir("refused"), root=False,
                       kmsg=False, expect_rc=2), "--merge runs nothing")


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def case_expectations():
    """Baseline, skips and flakes as drm-ci uses them."""
    base = write("fails.txt", "# known failures\n"
                 "panthor/fake_basic@fail-one,Fail\n"
                 "panthor/fake_basic@pass-a,Fail\n"
                 "panthor/fake_crash@crash-abort,Crash\n")
    skips = write("skips.txt", "# not on this board\nfake_basic@skip-one\n")
    flakes = write("flakes.txt", "# Bug Report: none\n^panthor/fake_basic@dmesg-warning$\n")
    run("--baseline", base, "--skips", skips, "--flakes", flakes, *BASIC_SELECTION,
        results_dir(), expect_rc=1)
    st = statuses()
    eq(st["panthor/fake_basic@fail-one"], "ExpectedFail", "listed failure")
    eq(st["panthor/fake_crash@crash-abort"], "ExpectedFail", "listed crash")
    eq(st["panthor/fake_basic@pass-a"], "UnexpectedPass", "listed failure that passes")
    eq(st["panthor/fake_basic@skip-one"], "Skip", "skipped by the skips file")
    eq(st["panthor/fake_basic@dmesg-warning"], "KnownFlake", "known flake")
    eq(st["panthor/fake_basic@pass-b"], "Pass", "unlisted pass")
    eq([r[0] for r in csv_rows("failures.csv")], ["panthor/fake_basic@pass-a"],
       "only the unexpected pass fails the run")
    res = load_results()["tests"]
    eq(res["igt@panthor/fake_basic@skip-one"]["result"], "notrun", "skipped test not run")
    check("skips.txt:2" in res["igt@panthor/fake_basic@skip-one"]["out"], "skip reason")
    ran = "".join(open(os.path.join(results_dir(), d, "journal.txt")).read()
                  for d in os.listdir(results_dir()) if d.isdigit())
    check("skip-one" not in ran, "a skipped test is never executed")
    # the unexpected pass was re-run once and passed again: still UnexpectedPass
    eq(load_results()["igt_panthor"]["reruns"].get("igt@panthor/fake_basic@pass-a"), "pass",
       "re-run of the unexpected pass")
    # without pass-a in the baseline the same run succeeds
    base2 = write("fails2.txt", "panthor/fake_basic@fail-one,Fail\n"
                  "panthor/fake_crash@crash-abort,Crash\n"
                  "panthor/fake_basic@warn-stderr,Fail\n")
    run("--baseline", base2, "--skips", skips, "--flakes", flakes, *BASIC_SELECTION,
        "-x", "warn-stderr", "-o", results_dir(), expect_rc=0)


def case_flake():
    """A failure that passes on its re-run is a Flake; one that fails again is not."""
    run("-t", "fake_flaky", results_dir(), expect_rc=1)
    st = statuses()
    eq(st["panthor/fake_flaky@flip"], "Flake", "fail then pass")
    eq(st["panthor/fake_flaky@always-fail"], "Fail", "fail twice")
    eq(load_results()["tests"]["igt@panthor/fake_flaky@flip"]["result"], "fail",
       "results.json keeps the first attempt")
    os.unlink(os.path.join(TMP, "state", "flip-ran"))
    run("-t", "fake_flaky@flip", "-o", results_dir(), expect_rc=0)
    os.unlink(os.path.join(TMP, "state", "flip-ran"))
    run("-t", "fake_flaky@flip", "--no-rerun", "-o", results_dir(), expect_rc=1)
    eq(statuses()["panthor/fake_flaky@flip"], "Fail", "no re-run with --no-rerun")


def case_bisect():
    """--bisect exit codes for git bisect run: 0 good, 1 bad, 125 skip, never >= 128."""
    def bisect(*a):
        return run("--bisect", *a, "-o", results_dir()).returncode
    eq(bisect("-t", "fake_basic@pass-"), 0, "passing selection")
    eq(bisect("-t", "fake_basic@(pass-a|fail-one)"), 1, "a failing test")
    eq(bisect("-t", "fake_crash@crash"), 1, "a crashing test")
    eq(bisect("-t", "fake_basic@dmesg-warning"), 1, "a kernel warning")
    eq(bisect("-t", "fake_basic@skip-one"), 125, "everything skipped")
    eq(bisect("-t", "fake_flaky@flip"), 125, "a flaky result decides nothing")
    eq(bisect("-t", "no-such-test"), 125, "empty selection")
    # the verdict and its reason are printed, for the bisect log
    for sel, line in (("fake_basic@pass-", "bisect: good: 2 tests passed"),
                      ("fake_basic@(pass-a|fail-one)",
                       "bisect: bad: 1 test did not succeed (first: panthor/fake_basic@fail-one)"),
                      ("fake_basic@skip-one", "bisect: skip: every test skipped (1)"),
                      ("fake_flaky@flip", "bisect: skip: 1 flaky result decides nothing"),
                      ("no-such-test", "bisect: skip: no test selected")):
        if sel == "fake_flaky@flip" and os.path.exists(os.path.join(TMP, "state", "flip-ran")):
            os.unlink(os.path.join(TMP, "state", "flip-ran"))
        p = run("--bisect", "-t", sel, "-o", results_dir())
        check(line + "\n" in p.stdout, "verdict %r in %r" % (line, p.stdout))
    p = run("--bisect", "--test-root", os.path.join(TMP, "missing"), results_dir("x"),
            root=False)
    eq(p.returncode, 125, "bad input under --bisect")
    p = run("--bisect", "--no-such-option", results_dir("y"))
    eq(p.returncode, 125, "usage error under --bisect")


def case_bad_input():
    """One error line, non-zero exit, earlier results untouched."""
    p = run("--test-root", os.path.join(TMP, "missing"), results_dir(), root=False)
    eq(p.returncode, 2, "missing test root")
    one_error_line(p, "test-list.txt")
    check(not os.path.exists(results_dir()), "nothing created for a missing test root")

    bad = write("bad-list.txt", "igt@panthor/fake_basic@pass-a\nfake_basic pass-b\n")
    p = run("--test-list", bad, results_dir())
    eq(p.returncode, 2, "malformed test list")
    one_error_line(p, "bad-list.txt:2")

    bad = write("bad-list2.txt", "igt@panthor/nope@x\n")
    p = run("--test-list", bad, results_dir())
    eq(p.returncode, 2, "unknown binary in test list")
    one_error_line(p, "bad-list2.txt:1")

    bad = write("bad-fails.txt", "panthor/fake_basic@fail-one,Fail\npanthor/x@y Fail\n")
    p = run("--baseline", bad, results_dir())
    eq(p.returncode, 2, "malformed baseline")
    one_error_line(p, "bad-fails.txt:2")

    bad = write("bad-status.txt", "panthor/fake_basic@fail-one,Broken\n")
    p = run("--baseline", bad, results_dir())
    eq(p.returncode, 2, "unknown status in baseline")
    one_error_line(p, "bad-status.txt:1")

    bad = write("bad-skips.txt", "# ok\nfake_basic@(unclosed\n")
    p = run("--skips", bad, results_dir())
    eq(p.returncode, 2, "bad regex in skips")
    one_error_line(p, "bad-skips.txt:2")

    p = run("--flakes", os.path.join(TMP, "no-such-flakes.txt"), results_dir())
    eq(p.returncode, 2, "missing flakes file")
    one_error_line(p, "no-such-flakes.txt")

    p = run("-t", "(", results_dir())
    eq(p.returncode, 2, "bad -t regex")
    one_error_line(p, "-t")

    p = run("--shard", "3/2", results_dir())
    eq(p.returncode, 2, "bad shard")
    one_error_line(p, "--shard")

    blocker = write("a-file", "")
    p = run("-t", "pass-a", os.path.join(blocker, "results"))
    eq(p.returncode, 2, "unwritable results directory")
    one_error_line(p, "a-file/results")

    check(not os.path.exists(results_dir()), "no results directory after bad input")

    # an existing run is never touched without --overwrite
    run("-t", "fake_basic@pass-a", results_dir(), expect_rc=0)
    digest = {}
    for root, _, files in os.walk(results_dir()):
        for f in files:
            path = os.path.join(root, f)
            digest[path] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    p = run("-t", "fake_basic@fail-one", results_dir())
    eq(p.returncode, 2, "existing results without --overwrite")
    one_error_line(p, "--overwrite")
    bad = write("bad-list3.txt", "oops\n")
    p = run("--test-list", bad, "-o", results_dir())
    eq(p.returncode, 2, "bad input with --overwrite")
    after = {}
    for root, _, files in os.walk(results_dir()):
        for f in files:
            path = os.path.join(root, f)
            after[path] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    eq(after, digest, "earlier results unchanged")
    run("-t", "fake_basic@fail-one", "--no-rerun", "-o", results_dir(), expect_rc=1)
    eq(results_of(), {"igt@panthor/fake_basic@fail-one": "fail"}, "--overwrite replaces")
    check(not os.path.exists(os.path.join(results_dir(), "1")), "old job dirs removed")


def case_dmesg_attribution():
    """Records before a binary's "executing" marker are not its warnings; setup ones are."""
    os.environ["FAKE_LEFTOVER"] = "1"
    try:
        run("-t", "fake_basic@pass-a", "--no-rerun", results_dir(), expect_rc=0)
    finally:
        del os.environ["FAKE_LEFTOVER"]
    t = load_results()["tests"]["igt@panthor/fake_basic@pass-a"]
    eq(t["result"], "pass", "a leftover warning does not make dmesg-warn")
    check("leftover warning from earlier work" in t["dmesg"], "but it is kept in dmesg")
    check("dmesg-warnings" not in t, "no dmesg-warnings")
    os.environ["FAKE_FIXTURE_WARN"] = "1"
    try:
        run("-t", "fake_basic@pass-(a|b)", "-m", "--no-rerun", "-o", results_dir(), expect_rc=1)
    finally:
        del os.environ["FAKE_FIXTURE_WARN"]
    r = load_results()["tests"]
    eq(r["igt@panthor/fake_basic@pass-a"]["result"], "dmesg-warn",
       "a setup warning counts for the first subtest")
    eq(r["igt@panthor/fake_basic@pass-b"]["result"], "pass", "and only for it")


def case_kmsg_unavailable():
    """An unreadable kernel log is recorded and the run goes on without dmesg results."""
    p = run("--kmsg-file", os.path.join(TMP, "no-kmsg"), "-t", "fake_basic@dmesg-warning",
            "--no-rerun", results_dir(), kmsg=False, expect_rc=0)
    eq(results_of(), {"igt@panthor/fake_basic@dmesg-warning": "pass"}, "no dmesg-warn")
    check("unavailable" in load_results()["igt_panthor"]["kmsg"], "kmsg status recorded")
    check("no-kmsg" in p.stderr, "warning on stderr: %r" % p.stderr)


def case_model():
    """The model is preloaded into every test and into the runner itself (its /dev/kmsg)."""
    log = os.path.join(TMP, "model-log")
    e = env()
    e["FAKE_MODEL_LOG"] = log
    cmd = [ARGS.runner, "--test-root", testroot(), "--model-lib", ARGS.fake_model,
           "-t", "fake_env", results_dir()]
    p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=60)
    eq(p.returncode, 1, "exit code (the model's kernel log carries a warning): " + p.stderr)
    res = load_results()
    meta = res["igt_panthor"]
    eq(meta["target"], "vpanthor", "target")
    eq(meta["model_lib"], os.path.realpath(ARGS.fake_model), "model path")
    eq(meta["kmsg"], "/dev/kmsg", "kernel log source")
    t = res["tests"]["igt@panthor/fake_env@show-env"]
    check("LD_PRELOAD=" + os.path.realpath(ARGS.fake_model) in t["out"], "test preloaded: " + t["out"])
    check("IGT_SENTINEL_ON_STDERR=1" in t["out"], "sentinel variable set")
    # the runner re-executed itself under the model and read /dev/kmsg through it
    eq(t["result"], "dmesg-warn", "warning read from the model's kernel log")
    loaded = open(log).read()
    check("igt_panthor_runner" in loaded, "runner preloaded: %r" % loaded)
    check("on vpanthor" in p.stdout, "summary names the model: " + p.stdout)

    p = subprocess.run([ARGS.runner, "--test-root", testroot(), "--no-model", "--kmsg-file",
                        os.path.join(TMP, "kmsg"), "-t", "fake_env", "-o", results_dir()],
                       env=env(), capture_output=True, text=True, timeout=60)
    eq(load_results()["igt_panthor"]["target"], "none", "--no-model without a device")
    check("LD_PRELOAD=unset" in load_results()["tests"]["igt@panthor/fake_env@show-env"]["out"],
          "no preload with --no-model")
    # started under the model's preload already: the model, never a probe through it
    lib = os.path.join(TMP, "libvpanthor-test.so")
    shutil.copy(ARGS.fake_model, lib)
    e = env()
    e["LD_PRELOAD"] = lib
    p = subprocess.run([ARGS.runner, "--test-root", testroot(), "--kmsg-file",
                        os.path.join(TMP, "kmsg"), "-t", "fake_env", "-o", results_dir()],
                       env=e, capture_output=True, text=True, timeout=60)
    meta = load_results()["igt_panthor"]
    eq((meta["target"], meta["model_lib"]), ("vpanthor", lib), "model found in LD_PRELOAD")
    check("results: " + results_dir() in p.stdout, "summary names the results directory")

    p = run("--model", "--model-lib", os.path.join(TMP, "none.so"), results_dir("z"))
    eq(p.returncode, 2, "missing model library")
    one_error_line(p, "none.so")


def case_model_no_device():
    """On the model, a device that does not answer (its process did not start) is refused
    before anything runs: every test would skip, and a run of skips looks clean."""
    e = env()
    e["FAKE_MODEL_NO_DEVICE"] = "1"
    cmd = [ARGS.runner, "--test-root", testroot(), "--model-lib", ARGS.fake_model,
           "-t", "fake_env", results_dir()]
    p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=60)
    eq(p.returncode, 2, "exit code with the model's device down: " + p.stderr)
    one_error_line(p, "does not answer as panthor")
    aborted = open(os.path.join(results_dir(), "aborted.txt")).read()
    check("every test would skip" in aborted, "aborted.txt gives the reason: " + aborted)
    target = open(os.path.join(results_dir(), "target.txt")).read()
    check("vpanthor" in target, "the configuration is still recorded: " + target)
    check(not os.path.exists(os.path.join(results_dir(), "results.json")),
          "nothing ran, no results.json")

    # the same run with the device up goes ahead and records the driver
    p = subprocess.run(cmd[:-1] + ["-o", results_dir()], env=env(), capture_output=True,
                       text=True, timeout=60)
    meta = load_results()["igt_panthor"]
    eq(meta["config"]["driver"], "panthor 1.9.0 (20240222)",
       "driver recorded from the model's device")


def case_dynamic_parents():
    """A subtest with dynamic subtests keeps its own result (igt_runner's keep-all); --list
    names what the run reports; --prune-mode drops parents or children."""
    p = run("--list", "-t", "fake_basic@(dyn|pass-a)", kmsg=False, expect_rc=0)
    listed = p.stdout.split()
    eq(listed, ["igt@panthor/fake_basic@pass-a", "igt@panthor/fake_basic@dyn"], "--list")
    caselist = write("caselist.txt", "".join(n + "\n" for n in listed))
    run("--test-list", caselist, results_dir(), expect_rc=0)
    got = results_of()
    eq(got["igt@panthor/fake_basic@dyn"], "pass", "the parent's own result is kept")
    for name in listed:
        check(name in got, "listed %s is in the results" % name)
    for name in got:
        check(name in listed or "@".join(name.split("@")[:3]) in listed,
              "%s is a listed test or a dynamic subtest of one" % name)
    eq(statuses()["panthor/fake_basic@dyn@beta"], "Skip", "dynamic subtests are kept too")
    run("--test-list", caselist, "--prune-mode", "keep-dynamic", "-o", results_dir(),
        expect_rc=0)
    check("igt@panthor/fake_basic@dyn" not in results_of(), "keep-dynamic drops the parent")
    check("igt@panthor/fake_basic@dyn@alpha" in results_of(), "and keeps the children")
    run("--test-list", caselist, "--prune-mode", "keep-subtests", "-o", results_dir(),
        expect_rc=0)
    eq(sorted(results_of()), sorted(listed), "keep-subtests: exactly the listed names")
    p = run("--prune-mode", "keep-nothing", results_dir("x"))
    eq(p.returncode, 2, "bad prune mode")
    one_error_line(p, "--prune-mode")


def case_kmsg_newlines():
    """Kernel records show their escaped newlines as newlines, as igt_runner writes them."""
    run("-t", "fake_more@kmsg-newline", results_dir(), expect_rc=0)
    dmesg = load_results()["tests"]["igt@panthor/fake_more@kmsg-newline"]["dmesg"]
    check("first line\nsecond line" in dmesg, "newline decoded: %r" % dmesg)
    check("\\x0a" not in dmesg, "no literal \\x0a: %r" % dmesg)
    html = open(os.path.join(results_dir(), "report.html")).read()
    check("first line\nsecond line" in html and "\\x0a" not in html, "report.html newline")


def case_junit_message():
    """A JUnit failure's message is the assertion text; flakes are marked."""
    run("-t", "fake_more@assert-fail", "-t", "fake_flaky@flip", results_dir(), expect_rc=1)
    suite = ET.parse(os.path.join(results_dir(), "junit.xml")).getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    msg = cases["panthor/fake_more@assert-fail"].find("failure").get("message")
    eq(msg, "Failed assertion: got == want GPU fault at VA 0x100000 (read) "
       "(function check_va, file fake.c:17)", "failure message")
    flip = cases["panthor/fake_flaky@flip"]
    check(flip.find("failure") is None, "a flake is not a failure")
    flaky = flip.find("flakyFailure")
    check(flaky is not None and flaky.get("type") == "Fail", "a flake is marked flakyFailure")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    check("suite_version" in props and "command_line" in props, "run properties: %r" % props)
    html = open(os.path.join(results_dir(), "report.html")).read()
    check("Failed assertion: got == want GPU fault at VA 0x100000" in html, "message in html")


def case_resume_suspect():
    """After a crash, --resume keeps the test that was running incomplete (never a Flake),
    names it, and runs it again only when asked."""
    tl = write("list.txt", "igt@panthor/fake_basic@pass-a\nigt@panthor/fake_hang@hang\n"
               "igt@panthor/fake_basic@pass-b\n")
    for again in (False, True):
        d = results_dir("again" if again else "plain")
        cmd = [ARGS.runner, "--no-model", "--test-root", testroot(), "--kmsg-file",
               os.path.join(TMP, "kmsg"), "--taint-file", os.path.join(TMP, "taint"),
               "--test-list", tl, d]
        if os.path.exists(os.path.join(TMP, "state", "stop")):
            os.unlink(os.path.join(TMP, "state", "stop"))
        p = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        journal = os.path.join(d, "1", "journal.txt")
        for _ in range(200):
            if os.path.exists(journal) and "hang" in open(journal).read():
                break
            time.sleep(0.05)
        p.kill()
        p.wait()
        open(os.path.join(TMP, "state", "stop"), "w").close()
        extra = ["--rerun-suspect"] if again else []
        p = run("--resume", *extra, d, root=False, kmsg=False)
        res = load_results(d)
        if not again:
            eq(p.returncode, 1, "a suspect fails the run")
            eq(res["tests"]["igt@panthor/fake_hang@hang"]["result"], "incomplete", "suspect")
            eq(statuses(d)["panthor/fake_hang@hang"], "Crash", "status: not a Flake")
            eq(res["igt_panthor"]["suspects"], ["igt@panthor/fake_hang@hang"], "suspects")
            check("suspect: panthor/fake_hang@hang was running when the run died" in p.stdout,
                  "the summary names it: " + p.stdout)
            jobs = [l for l in open(os.path.join(d, "joblist.txt")) if l.startswith("run 2 ")]
            eq(jobs, [], "no re-run of the suspect")
        else:
            eq(res["tests"]["igt@panthor/fake_hang@hang"]["result"], "pass", "ran again")
            eq(res["igt_panthor"]["suspects"], [], "no suspect left")
    p = run("--rerun-suspect", results_dir("x"))
    eq(p.returncode, 2, "--rerun-suspect without --resume")


def case_config():
    """How the run ran is recorded everywhere; a quirk run never looks like a clean one."""
    base = write("fails.txt", "panthor/fake_basic@fail-one,Fail\n")
    flakes = write("flakes.txt", "nothing-flakes\n")
    e = env()
    e["VPANTHOR_QUIRKS"] = "some-quirk"
    e["VPANTHOR_VERSION"] = "1.8"
    cmd = [ARGS.runner, "--test-root", testroot(), "--model-lib", ARGS.fake_model,
           "--taint-file", os.path.join(TMP, "taint"), "--baseline", base, "--flakes", flakes,
           "-t", "fake_basic@(fail-one|pass-a)", results_dir()]
    p = subprocess.Popen(cmd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout, p.stderr = p.communicate(timeout=60)
    eq(p.returncode, 0, "run: " + p.stderr)
    cfg = load_results()["igt_panthor"]["config"]
    digest = hashlib.sha256(open(base, "rb").read()).hexdigest()
    eq(cfg["baseline"], "%s sha256:%s" % (base, digest), "baseline and its hash")
    check(cfg["flakes"].startswith(flakes + " sha256:"), "flakes file")
    eq(cfg["model_quirks"], "some-quirk", "quirks")
    check("VPANTHOR_VERSION=1.8" in cfg["model_env"], "model settings: %r" % cfg["model_env"])
    check("--baseline" in cfg["command_line"], "command line")
    check(cfg["suite_version"].startswith("igt-panthor "), "suite version")
    eq(load_results()["igt_panthor"]["model_quirks"], "some-quirk", "quirks at the top")
    check("MODEL WITH BUG-ZOO QUIRKS: some-quirk (not a clean run)" in p.stdout,
          "summary: " + p.stdout)
    html = open(os.path.join(results_dir(), "report.html")).read()
    check("Model with bug-zoo quirks: some-quirk" in html, "report.html banner")
    meta = open(os.path.join(results_dir(), "metadata.txt")).read()
    check("command_line : " in meta, "metadata has the command line")
    # the private directory of the model's devices is gone after the run
    for name in os.listdir("/tmp"):
        if name == "igt-panthor-run-%d" % p.pid:
            fail("/tmp/%s left behind" % name)


def case_baseline_tools():
    """Stale baseline lines are reported; --update-baseline writes the new baseline;
    failures.csv is a valid baseline."""
    base = write("fails.txt", "panthor/fake_basic@fail-one,Fail\n"
                 "panthor/fake_basic@pass-a,Fail\n"
                 "panthor/fake_basic@renamed-away,Fail\n"
                 "panthor/no_such_binary@x,Crash\n"
                 "panthor/fake_crash@ok,Fail\n")
    new = os.path.join(TMP, "new-fails.txt")
    p = run("--baseline", base, "--update-baseline", new, "-t", "fake_basic@(fail|pass-a|dmesg-w)",
            "--no-rerun", results_dir(), expect_rc=1)
    eq(load_results()["igt_panthor"]["baseline_unmatched"],
       ["panthor/fake_basic@renamed-away", "panthor/no_such_binary@x"], "unmatched lines")
    check("baseline entry matches no test: panthor/fake_basic@renamed-away" in p.stdout,
          "summary names them: " + p.stdout)
    lines = [l for l in open(new).read().splitlines() if not l.startswith("#")]
    eq(lines, ["panthor/fake_basic@dmesg-warning,DmesgWarn",
               "panthor/fake_basic@fail-one,Fail",
               "panthor/fake_basic@renamed-away,Fail",
               "panthor/fake_crash@ok,Fail",
               "panthor/no_such_binary@x,Crash"], "new baseline")
    run("--baseline", new, "-t", "fake_basic@(fail|pass-a|dmesg-w)", "--no-rerun", "-o",
        results_dir(), expect_rc=0)
    # a failures.csv as it comes is a baseline: the run it came from, judged by it, succeeds
    run("-t", "fake_basic@(fail|pass-a|dmesg-w)", "--no-rerun", "-o", results_dir(),
        expect_rc=1)
    fcsv = os.path.join(TMP, "failures-as-baseline.csv")
    shutil.copy(os.path.join(results_dir(), "failures.csv"), fcsv)
    run("--baseline", fcsv, "-t", "fake_basic@(fail|pass-a|dmesg-w)", "--no-rerun", "-o",
        results_dir(), expect_rc=0)
    # and one with unexpected passes in it (a run judged by a stale baseline) too
    run("--baseline", base, "-t", "fake_basic@(fail|pass-a|dmesg-w)", "--no-rerun", "-o",
        results_dir(), expect_rc=1)
    shutil.copy(os.path.join(results_dir(), "failures.csv"), fcsv)
    check("UnexpectedPass" in open(fcsv).read(), "failures.csv has an UnexpectedPass line")
    run("--baseline", fcsv, "-t", "fake_basic@pass-a", "--no-rerun", "-o", results_dir(),
        expect_rc=0)


def case_health():
    """A new kernel taint or a lockdep splat aborts the run, saying why; an inactivity timeout
    catches a silent test."""
    tl = write("list.txt", "igt@panthor/fake_more@taint\nigt@panthor/fake_more@after\n")
    p = run("--test-list", tl, results_dir(), expect_rc=1)
    eq(results_of(), {"igt@panthor/fake_more@taint": "pass",
                      "igt@panthor/fake_more@after": "notrun"}, "stopped after the taint")
    why = load_results()["igt_panthor"]["aborted"]
    check("TAINT_WARN" in why and "fake_more" in why, "reason: %r" % why)
    check("TAINT_WARN" in p.stderr, "said on stderr: %r" % p.stderr)
    with open(os.path.join(TMP, "taint"), "w") as f:
        f.write("512\n")
    run("--test-list", tl, "-o", results_dir(), expect_rc=0)    # already tainted: not new
    with open(os.path.join(TMP, "taint"), "w") as f:
        f.write("0\n")
    tl = write("list2.txt", "igt@panthor/fake_more@lockdep\nigt@panthor/fake_more@after\n")
    run("--test-list", tl, "--dmesg-warn-level", "3", "-o", results_dir(), expect_rc=1)
    eq(results_of()["igt@panthor/fake_more@after"], "notrun", "stopped after the splat")
    why = load_results()["igt_panthor"]["aborted"]
    check("lockdep splat" in why and "circular locking" in why, "reason: %r" % why)
    with open(os.path.join(TMP, "taint"), "w") as f:
        f.write("0\n")
    run("--test-list", tl, "--dmesg-warn-level", "3", "--no-health-checks", "-o",
        results_dir(), expect_rc=0)
    start = time.time()
    run("-t", "fake_more@silent", "--inactivity-timeout", "1", "--kill-grace", "1",
        "--no-rerun", "-o", results_dir(), expect_rc=1)
    check(time.time() - start < 15, "silent test killed in time")
    eq(results_of()["igt@panthor/fake_more@silent"], "timeout", "inactivity timeout")
    check("Inactivity timeout exceeded" in
          load_results()["tests"]["igt@panthor/fake_more@silent"]["err"], "message in err")


def case_areas():
    """--area selects by the areas of test-areas.txt; an unknown area is bad input."""
    p = run("--list", "--area", "vm", kmsg=False, expect_rc=0)
    eq(p.stdout.split(), ["igt@panthor/fake_basic@pass-a", "igt@panthor/fake_basic@pass-b"],
       "--area vm")
    p = run("--list", "--area", "huge-pages", "--area", "faults", kmsg=False, expect_rc=0)
    eq(p.stdout.split(), ["igt@panthor/fake_basic@dyn", "igt@panthor/fake_crash@crash-abort",
                          "igt@panthor/fake_crash@ok"], "two areas")
    p = run("--list", "--area", "sparse", kmsg=False)
    eq(p.returncode, 2, "unknown area")
    one_error_line(p, "--area sparse")


def case_jobs_serialised():
    """--jobs where the tests cannot get a kernel log each: they run one at a time, said so."""
    p = run("-t", "fake_basic@pass-", "--jobs", "3", results_dir(), expect_rc=0)
    check("--jobs 3:" in p.stderr and "one at a time" in p.stderr, "said: %r" % p.stderr)
    eq(results_of(), {"igt@panthor/fake_basic@pass-a": "pass",
                      "igt@panthor/fake_basic@pass-b": "pass"}, "results")
    p = run("--jobs", "0", results_dir("x"))
    eq(p.returncode, 2, "--jobs 0")
    one_error_line(p, "--jobs")


def case_piglit():
    """piglit reads a results directory as it reads igt_runner's."""
    run(*BASIC_SELECTION, results_dir(), expect_rc=1)
    # piglit takes the first file whose name starts with "result" for the results
    starts = [f for f in os.listdir(results_dir()) if f.startswith("result")]
    eq(starts, ["results.json"], "files piglit may take for the results")
    piglit = shutil.which("piglit")
    if not piglit:
        print("piglit not installed: checked the directory rule only")
        return
    p = subprocess.run([piglit, "summary", "console", results_dir()], capture_output=True,
                       text=True, timeout=120)
    eq(p.returncode, 0, "piglit summary console: " + p.stderr)
    check("igt/panthor/fake_basic/fail-one: fail" in p.stdout, "piglit lists: " + p.stdout)
    check("igt/panthor/fake_basic/dyn/beta: skip" in p.stdout, "dynamic: " + p.stdout)
    check(re.search(r"\n +pass: +9\n", p.stdout), "piglit counts: " + p.stdout)
    check(re.search(r"\n +dmesg-warn: +1\n", p.stdout), "piglit counts: " + p.stdout)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global ARGS, TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES) + ["all"])
    ap.add_argument("--runner", required=True)
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--fake-model")
    ap.add_argument("--update-golden", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ARGS = ap.parse_args()
    ARGS.srcdir = os.path.abspath(ARGS.srcdir)
    ARGS.runner = os.path.abspath(ARGS.runner)
    if ARGS.fake_model:
        ARGS.fake_model = os.path.abspath(ARGS.fake_model)
    names = sorted(CASES) if ARGS.case == "all" else [ARGS.case]
    for name in names:
        TMP = tempfile.mkdtemp(prefix="runner-test-%s-" % name)
        os.makedirs(os.path.join(TMP, "state"))
        open(os.path.join(TMP, "kmsg"), "w").close()
        with open(os.path.join(TMP, "taint"), "w") as f:
            f.write("0\n")
        try:
            CASES[name]()
            print("ok: " + name)
        finally:
            # releases a hang left behind by a failed case
            open(os.path.join(TMP, "state", "stop"), "w").close()
            if not ARGS.keep:
                time.sleep(0.2)
                shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
