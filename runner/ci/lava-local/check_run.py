#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check a local LAVA run: LAVA's own results against the merged runner results.

Usage: check_run.py --expect green|red --selection FILE --merged DIR --merge-exit N
                    RESULTS.yaml...

RESULTS.yaml are `lavacli results JOB --yaml` of the run's jobs (one per shard).
FILE is `igt_panthor_runner --list` of the same selection (a name with dynamic
subtests stands for all of them). DIR is the `igt_panthor_runner --merge` output.

Checks, for both expectations:
  - every job's LAVA test cases panthor-probed, igt-panthor-results and
    igt-panthor-upload passed, and LAVA's own lava.job passed;
  - every subtest LAVA reported was reported once, by one job;
  - LAVA's subtests are exactly the merged results.json's tests, with the same
    verdict (pass/skip/fail as the generator maps deqp-results.csv statuses), and
    they cover the selection: every listed name ran, itself or as its dynamic
    subtests.
green: no failing subtest in LAVA, and the merge (runner exit code) is green.
red: LAVA reports failing subtests; they are listed by name.
Prints counts and exits 0 when the run is what was expected, 1 otherwise.
"""

import argparse
import collections
import csv
import json
import os
import sys

import yaml

SUCCESS = ("Pass", "Warn", "Flake", "KnownFlake", "ExpectedFail")
STEPS = ("panthor-probed", "igt-panthor-results", "igt-panthor-upload")


def lava_name(ci_name):
    """deqp-results.csv name -> the test case name the generator's report step gives LAVA."""
    return ci_name.replace("/", ".")


def verdict(status):
    return "pass" if status in SUCCESS else "skip" if status == "Skip" else "fail"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", choices=("green", "red"), required=True)
    ap.add_argument("--selection", required=True)
    ap.add_argument("--merged", required=True)
    ap.add_argument("--merge-exit", type=int, required=True)
    ap.add_argument("results", nargs="+")
    args = ap.parse_args()
    problems = []

    lava = {}  # subtest -> result
    seen = collections.Counter()
    for path in args.results:
        with open(path) as f:
            cases = yaml.safe_load(f) or []
        job = os.path.basename(path)
        by_name = {(c["suite"], c["name"]): c["result"] for c in cases}
        if by_name.get(("lava", "job")) != "pass":
            problems.append("%s: LAVA's lava.job is %s" % (job, by_name.get(("lava", "job"))))
        suites = {c["suite"] for c in cases if c["suite"] != "lava"}
        if len(suites) != 1:
            problems.append("%s: test suites %s, expected one" % (job, sorted(suites)))
        for step in STEPS:
            got = [r for (s, n), r in by_name.items() if n == step and s != "lava"]
            if got != ["pass"]:
                problems.append("%s: %s is %s" % (job, step, got or "missing"))
        n = 0
        for c in cases:
            if c["suite"] == "lava" or c["name"] in STEPS:
                continue
            seen[c["name"]] += 1
            lava[c["name"]] = c["result"]
            n += 1
        print("%s: %d subtests, %s" % (job, n, dict(collections.Counter(
            c["result"] for c in cases if c["suite"] != "lava" and c["name"] not in STEPS))))
    twice = sorted(n for n, k in seen.items() if k > 1)
    if twice:
        problems.append("reported more than once by LAVA: %s" % ", ".join(twice[:20]))

    with open(os.path.join(args.merged, "deqp-results.csv")) as f:
        merged = {row[0]: row[1] for row in csv.reader(f) if row}
    with open(os.path.join(args.merged, "results.json")) as f:
        rj = json.load(f)
    if len(rj["tests"]) != len(merged):
        problems.append("merged results.json has %d tests, deqp-results.csv %d"
                        % (len(rj["tests"]), len(merged)))
    mapped = {lava_name(n): verdict(s) for n, s in merged.items()}
    only_lava = sorted(set(lava) - set(mapped))
    only_merged = sorted(set(mapped) - set(lava))
    if only_lava:
        problems.append("in LAVA, not in the merged results: %s" % ", ".join(only_lava[:20]))
    if only_merged:
        problems.append("in the merged results, not in LAVA: %s" % ", ".join(only_merged[:20]))
    differ = sorted(n for n in set(lava) & set(mapped) if lava[n] != mapped[n])
    if differ:
        problems.append("LAVA and the merged results disagree on: %s" % ", ".join(
            "%s (LAVA %s, merged %s)" % (n, lava[n], mapped[n]) for n in differ[:20]))

    with open(args.selection) as f:
        selection = [line.strip() for line in f if line.strip()]
    ran = set(rj["tests"])
    missing = [n for n in selection
               if n not in ran and not any(r.startswith(n + "@") for r in ran)]
    if missing:
        problems.append("selected but never run: %s" % ", ".join(missing[:20]))

    counts = collections.Counter(lava.values())
    failing = sorted(n for n, r in lava.items() if r == "fail")
    print("LAVA: %d subtests in %d jobs, each reported once: %s" % (
        len(lava), len(args.results), not twice))
    print("LAVA results: %s" % ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    print("merged: %d tests (%d selected names), statuses %s, runner exit %d" % (
        len(merged), len(selection), dict(collections.Counter(merged.values())),
        args.merge_exit))
    if failing:
        print("failing in LAVA (%d):" % len(failing))
        for n in failing:
            print("  %s" % n)

    if args.expect == "green":
        if failing:
            problems.append("expected green, LAVA reports %d failing subtests" % len(failing))
        if args.merge_exit != 0:
            problems.append("expected green, the merged run's exit code is %d"
                            % args.merge_exit)
    elif not failing:
        problems.append("expected red (an injected bug), LAVA reports no failing subtest")
    elif args.merge_exit == 0:
        problems.append("LAVA is red but the merged run is green")

    for p in problems:
        print("FAIL: %s" % p)
    if problems:
        print("FAIL: %d problems" % len(problems))
    else:
        print("PASS: the run is %s, as expected" % ("red" if failing else "green"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
