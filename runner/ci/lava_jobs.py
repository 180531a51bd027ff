#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate LAVA jobs that run igt-panthor on a Mali board, one job per shard.

Each job deploys a kernel, device tree, modules and an NFS root with TFTP,
boots it with U-Boot, unpacks an igt-panthor install tarball on the board,
runs `igt_panthor_runner --shard K/N` there and reports every subtest to LAVA
with `lava-test-case` (names: panthor.panthor_vm@bind-once). The job's
results directory stays on the board's NFS root under /tmp/igt-results.

Example:
  runner/ci/lava_jobs.py --shards 2 --output-dir jobs/ \\
      --kernel-url https://.../Image --dtb-url https://.../rk3588-rock-5b.dtb \\
      --modules-url https://.../modules.tar.xz --rootfs-url https://.../rootfs.tar.xz \\
      --igt-url https://.../igt-panthor.tar.gz

Uses only the standard library, plus PyYAML (Debian: python3-yaml) when
present; without it the jobs are written as JSON, which is valid YAML.
"""

import argparse
import json
import os
import shlex
import sys

try:
    import yaml
except ImportError:  # JSON is a subset of YAML; LAVA reads either
    yaml = None

DEFAULT_BOARD = "rk3588-rock-5b"
# drm-ci names its expectation files <driver>-<gpu>-{fails,flakes,skips}.txt
DEFAULT_EXPECTATIONS = {"rk3588-rock-5b": "panthor-rk3588"}
INSTALL_DIR = "/opt/igt-panthor"
RESULTS_DIR = "/tmp/igt-results"

# results.csv statuses that count as a success (as deqp-runner decides)
SUCCESS = ("Pass", "Warn", "Flake", "KnownFlake", "ExpectedFail")


def report_step():
    """Shell that turns results.csv into one lava-test-case per subtest."""
    ok = "|".join(SUCCESS)
    return (
        "while IFS=, read -r name status secs; do "
        "case \"$status\" in %s) r=pass ;; Skip) r=skip ;; *) r=fail ;; esac; "
        "lava-test-case \"$(echo \"$name\" | tr / .)\" --result \"$r\" "
        "--measurement \"$secs\" --units seconds; "
        "done < %s/results.csv" % (ok, RESULTS_DIR))


def runner_command(args, k, n):
    share = "%s/share/igt-panthor/ci" % INSTALL_DIR
    cmd = ["%s/bin/igt_panthor_runner" % INSTALL_DIR,
           "--no-model",
           "--test-root", "%s/libexec/igt-gpu-tools" % INSTALL_DIR,
           "--shard", "%d/%d" % (k, n),
           "--per-test-timeout", str(args.per_test_timeout),
           "--name", "%s-shard-%d-of-%d" % (args.board, k, n)]
    if args.expectations:
        for kind, opt in (("fails", "--baseline"), ("skips", "--skips"), ("flakes", "--flakes")):
            cmd += [opt, "%s/%s-%s.txt" % (share, args.expectations, kind)]
    cmd += args.runner_arg
    cmd.append(RESULTS_DIR)
    return " ".join(shlex.quote(c) for c in cmd)


def make_job(args, k, n):
    name = "%s shard %d of %d on %s" % (args.name_prefix, k, n, args.board)
    steps = [
        "mkdir -p %s" % INSTALL_DIR,
        "wget -q -O - '%s' | tar -xzf - -C %s" % (args.igt_url, INSTALL_DIR),
        "modprobe panthor || true",
        # a board whose driver did not probe must fail, not skip everything
        "lava-test-case panthor-probed --shell test -d /sys/module/panthor",
        "%s; echo \"igt_panthor_runner exit: $?\"" % runner_command(args, k, n),
        "lava-test-case igt-panthor-results --shell test -s %s/results.csv" % RESULTS_DIR,
        report_step(),
    ]
    deploy = {
        "to": "tftp",
        "os": "debian",
        "timeout": {"minutes": args.deploy_timeout},
        "kernel": {"url": args.kernel_url, "type": "image"},
        "dtb": {"url": args.dtb_url},
        "nfsrootfs": {"url": args.rootfs_url, "compression": "xz"},
    }
    if args.modules_url:
        deploy["modules"] = {"url": args.modules_url, "compression": "xz"}
    job = {
        "job_name": name,
        "device_type": args.board,
        "visibility": args.visibility,
        "priority": args.priority,
        "timeouts": {
            "job": {"minutes": args.job_timeout},
            "connection": {"minutes": 2},
        },
        "metadata": {
            "igt-panthor.shard": "%d/%d" % (k, n),
            "igt-panthor.board": args.board,
        },
        "actions": [
            {"deploy": deploy},
            {"boot": {
                "method": "u-boot",
                "commands": "nfs",
                "prompts": [args.prompt],
                "auto_login": {"login_prompt": "login:", "username": "root"},
                "timeout": {"minutes": args.boot_timeout},
            }},
            {"test": {
                "timeout": {"minutes": args.test_timeout},
                "definitions": [{
                    "from": "inline",
                    "name": "igt-panthor-shard-%d" % k,
                    "path": "inline/igt-panthor.yaml",
                    # kmsg keeps LAVA signals intact among console noise
                    "lava-signal": "kmsg",
                    "repository": {
                        "metadata": {
                            "format": "Lava-Test Test Definition 1.0",
                            "name": "igt-panthor",
                            "description": "igt-panthor subtests, shard %d of %d" % (k, n),
                        },
                        "run": {"steps": steps},
                    },
                }],
            }},
        ],
    }
    if args.tag:
        job["tags"] = list(args.tag)
    return job


def dump(job):
    if yaml:
        return yaml.safe_dump(job, sort_keys=False, default_flow_style=False, width=1000)
    return json.dumps(job, indent=2) + "\n"


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--board", default=DEFAULT_BOARD, help="LAVA device type")
    ap.add_argument("--shards", type=int, default=2, help="number of jobs (N of --shard K/N)")
    ap.add_argument("--output-dir", required=True)
    ap.add_argument("--kernel-url", default="https://example.invalid/Image")
    ap.add_argument("--dtb-url", default="https://example.invalid/rk3588-rock-5b.dtb")
    ap.add_argument("--modules-url", default="https://example.invalid/modules.tar.xz")
    ap.add_argument("--rootfs-url", default="https://example.invalid/rootfs.tar.xz")
    ap.add_argument("--igt-url", default="https://example.invalid/igt-panthor.tar.gz",
                    help="tar.gz of an igt-panthor install (prefix layout)")
    ap.add_argument("--expectations", default=None,
                    help="prefix of the expectation files, e.g. panthor-rk3588 "
                         "(default: known per board, none otherwise)")
    ap.add_argument("--per-test-timeout", type=int, default=60, help="seconds")
    ap.add_argument("--job-timeout", type=int, default=60, help="minutes")
    ap.add_argument("--deploy-timeout", type=int, default=10, help="minutes")
    ap.add_argument("--boot-timeout", type=int, default=10, help="minutes")
    ap.add_argument("--test-timeout", type=int, default=30, help="minutes")
    ap.add_argument("--priority", default="medium")
    ap.add_argument("--visibility", default="public")
    ap.add_argument("--prompt", default="root@.*:.*#")
    ap.add_argument("--name-prefix", default="igt-panthor")
    ap.add_argument("--tag", action="append", default=[])
    ap.add_argument("--runner-arg", action="append", default=[],
                    help="extra igt_panthor_runner argument (repeatable; write "
                         "--runner-arg=-t --runner-arg=REGEX for options)")
    args = ap.parse_args(argv)
    if args.shards < 1:
        ap.error("--shards must be at least 1")
    if args.expectations is None:
        args.expectations = DEFAULT_EXPECTATIONS.get(args.board)
    longest = args.deploy_timeout + args.boot_timeout + args.test_timeout
    if longest > args.job_timeout:
        ap.error("deploy + boot + test timeouts (%d min) exceed --job-timeout (%d min)"
                 % (longest, args.job_timeout))
    return args


def generate(argv):
    """Writes the jobs; returns their paths."""
    args = parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    paths = []
    for k in range(1, args.shards + 1):
        path = os.path.join(args.output_dir, "%s-shard-%d-of-%d.yaml" % (args.board, k, args.shards))
        with open(path, "w") as f:
            f.write(dump(make_job(args, k, args.shards)))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in generate(sys.argv[1:]):
        print(p)
