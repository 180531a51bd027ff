#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate LAVA jobs that run igt-panthor, one job per shard; or check a job file.

One code path for every device type. A job deploys a kernel and a root
filesystem, boots, downloads an igt-panthor install tarball (prefix
/opt/igt-panthor) onto the machine, checks that a panthor device is bound,
runs `igt_panthor_runner --shard K/N` and reports every subtest to LAVA with
`lava-test-case` (names: panthor.panthor_vm@bind-once). Only these differ
between device types:

  board (default, e.g. rk3588-rock-5b): TFTP deploy of kernel, device tree,
      modules and an NFS root, U-Boot boot; the runner never uses the model
      (--no-model), so a missing driver fails the panthor-probed check;
  qemu (device type qemu, TCG or KVM): tmpfs deploy of an arm64 kernel and a
      cpio root filesystem that LAVA appends its test overlay to, QEMU boot;
      the runner uses the vpanthor model shipped in the tarball (--model),
      and the probe step looks at the device through the model.

Every URL must be given (there are no placeholder defaults). With
--upload-url, each job also uploads its runner results directory as
<URL>/<device type>-shard-K-of-N.tar.gz (HTTP PUT), so that the shards can
be merged with `igt_panthor_runner --merge`.

Examples:
  igt_panthor_lava_jobs --shards 2 --output-dir jobs/ \\
      --kernel-url https://.../Image --dtb-url https://.../rk3588-rock-5b.dtb \\
      --modules-url https://.../modules.tar.xz --rootfs-url https://.../rootfs.tar.xz \\
      --igt-url https://.../igt-panthor.tar.gz
  igt_panthor_lava_jobs --device-type qemu --shards 2 --output-dir jobs/ \\
      --kernel-url http://.../Image --rootfs-url http://.../rootfs.cpio.gz \\
      --igt-url http://.../igt-panthor.tar.gz --env VPANTHOR_QUIRKS=bo-offset-subtract
  igt_panthor_lava_jobs --check jobs/*.yaml

Uses only the standard library, plus PyYAML (Debian: python3-yaml) when
present; without it the jobs are written as JSON, which is valid YAML.
--check also needs LAVA's job schema (Debian: lava-common, in /usr/bin/python3).
"""

import argparse
import json
import os
import re
import shlex
import sys
import urllib.parse

try:
    import yaml
except ImportError:  # JSON is a subset of YAML; LAVA reads either
    yaml = None

DEFAULT_BOARD = "rk3588-rock-5b"
# drm-ci names its expectation files <driver>-<gpu>-{fails,flakes,skips}.txt
DEFAULT_EXPECTATIONS = {"rk3588-rock-5b": "panthor-rk3588", "qemu": "vpanthor"}
INSTALL_DIR = "/opt/igt-panthor"
RESULTS_DIR = "/tmp/igt-results"
QEMU_DEVICE_TYPES = ("qemu",)

# deqp-results.csv statuses that count as a success (as deqp-runner decides)
SUCCESS = ("Pass", "Warn", "Flake", "KnownFlake", "ExpectedFail")

# RFC 2606 / RFC 6761 names that never reach a server: a job carrying one was
# generated from an example, not for a farm.
PLACEHOLDER_TLDS = ("example", "invalid", "test", "localhost")
PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org")

# The probe: a DRM card node whose device is bound to the panthor platform
# driver (struct platform_driver panthor_driver, .name = "panthor", in
# drivers/gpu/drm/panthor/panthor_drv.c). A loaded module that did not bind
# (no device tree node, a failed probe) leaves no such card, and fails.
PROBE = (
    "n=0; for c in /sys/class/drm/card*; do "
    "[ -c \"/dev/dri/${c##*/}\" ] || continue; "
    "grep -qx DRIVER=panthor \"$c/device/uevent\" 2>/dev/null || continue; "
    "echo \"panthor device bound: ${c##*/} -> $(readlink \"$c/device\")\"; n=$((n+1)); "
    "done; [ \"$n\" -gt 0 ] || { echo \"no DRM card bound to the panthor driver\"; "
    "ls -l /sys/bus/platform/drivers/panthor 2>&1; exit 1; }")


def is_qemu(device_type):
    return device_type in QEMU_DEVICE_TYPES or device_type.startswith("qemu-")


def report_step():
    """Shell that turns deqp-results.csv into one lava-test-case per subtest."""
    ok = "|".join(SUCCESS)
    return (
        "while IFS=, read -r name status secs; do "
        "case \"$status\" in %s) r=pass ;; Skip) r=skip ;; *) r=fail ;; esac; "
        "lava-test-case \"$(echo \"$name\" | tr / .)\" --result \"$r\" "
        "--measurement \"$secs\" --units seconds; "
        "done < %s/deqp-results.csv" % (ok, RESULTS_DIR))


def model_lib():
    """Where the tarball's model library is found (any libdir layout)."""
    return "$(ls %s/lib/*/igt-panthor/libvpanthor.so %s/lib/igt-panthor/libvpanthor.so " \
           "2>/dev/null | head -n1)" % (INSTALL_DIR, INSTALL_DIR)


def runner_command(args, k, n):
    share = "%s/share/igt-panthor/ci" % INSTALL_DIR
    cmd = ["%s/bin/igt_panthor_runner" % INSTALL_DIR,
           "--model" if args.target == "model" else "--no-model",
           "--test-root", "%s/libexec/igt-gpu-tools" % INSTALL_DIR,
           "--shard", "%d/%d" % (k, n),
           "--per-test-timeout", str(args.per_test_timeout),
           "--name", "%s-shard-%d-of-%d" % (args.device_type, k, n)]
    if args.expectations:
        for kind, opt in (("fails", "--baseline"), ("skips", "--skips"), ("flakes", "--flakes")):
            cmd += [opt, "%s/%s-%s.txt" % (share, args.expectations, kind)]
    cmd += args.runner_arg
    cmd.append(RESULTS_DIR)
    return " ".join(shlex.quote(c) for c in cmd)


def shell_case(name, cmd):
    """A lava-test-case that passes when CMD exits 0.

    lava-test-case --shell runs `eval "$*"`: CMD goes in as one word, so that
    its own quoting survives the eval."""
    return "lava-test-case %s --shell %s" % (name, shlex.quote(cmd))


def probe_step(args):
    probe = "sh -c %s" % shlex.quote(PROBE)
    if args.target == "model":
        # the model presents its device through sysfs to the processes it is preloaded in
        probe = "env LD_PRELOAD=\"%s\" %s" % (model_lib(), probe)
    return shell_case("panthor-probed", probe)


def upload_step(args, k, n):
    url = "%s/%s-shard-%d-of-%d.tar.gz" % (args.upload_url.rstrip("/"), args.device_type, k, n)
    return shell_case("igt-panthor-upload",
                      "tar -C %s -czf /tmp/igt-results.tar.gz . && "
                      "wget -q -O /dev/null --method=PUT --body-file=/tmp/igt-results.tar.gz '%s'"
                      % (RESULTS_DIR, url))


def test_steps(args, k, n):
    steps = [
        "mkdir -p %s" % INSTALL_DIR,
        "wget -q -O - '%s' | tar -xzf - -C %s" % (args.igt_url, INSTALL_DIR),
    ]
    if args.target == "board":
        steps.append("modprobe panthor || true")
    # a machine whose driver did not bind must fail, not skip everything
    steps.append(probe_step(args))
    for name, value in args.env:
        steps.append("export %s=%s" % (name, shlex.quote(value)))
    # LAVA runs the steps under `set -e`: the runner's exit 1 (some test failed) must not
    # end the script before the subtests are reported
    steps += [
        "%s && rc=0 || rc=$?; echo \"igt_panthor_runner exit: $rc\"" % runner_command(args, k, n),
        shell_case("igt-panthor-results", "test -s %s/deqp-results.csv" % RESULTS_DIR),
        report_step(),
    ]
    if args.upload_url:
        steps.append(upload_step(args, k, n))
    return steps


def board_actions(args):
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
    boot = {
        "method": "u-boot",
        "commands": "nfs",
        "prompts": [args.prompt],
        "auto_login": {"login_prompt": "login:", "username": "root"},
        "timeout": {"minutes": args.boot_timeout},
    }
    return deploy, boot


def qemu_actions(args):
    append = "console=ttyAMA0 rdinit=/init panic=5 %s" % args.kernel_args
    deploy = {
        "to": "tmpfs",
        "os": "debian",
        "timeout": {"minutes": args.deploy_timeout},
        "images": {
            "kernel": {
                "url": args.kernel_url,
                "image_arg": "-kernel {kernel} -append \"%s\"" % append.strip(),
            },
            # LAVA appends its test overlay to the cpio root filesystem itself
            "ramdisk": {
                "url": args.rootfs_url,
                "image_arg": "-initrd {ramdisk}",
                "format": "cpio.newc",
                "compression": "gz",
                "overlays": {"lava": True},
            },
        },
    }
    boot = {
        "method": "qemu",
        "media": "tmpfs",
        "prompts": [args.prompt],
        "auto_login": {"login_prompt": "login:", "username": "root"},
        "timeout": {"minutes": args.boot_timeout},
    }
    return deploy, boot


def make_job(args, k, n):
    name = "%s shard %d of %d on %s" % (args.name_prefix, k, n, args.device_type)
    deploy, boot = (qemu_actions if is_qemu(args.device_type) else board_actions)(args)
    job = {
        "job_name": name,
        "device_type": args.device_type,
        "visibility": args.visibility,
        "priority": args.priority,
        "timeouts": {
            "job": {"minutes": args.job_timeout},
            "connection": {"minutes": 2},
        },
        "metadata": {
            "igt-panthor.shard": "%d/%d" % (k, n),
            "igt-panthor.device-type": args.device_type,
            "igt-panthor.target": args.target,
        },
        "actions": [
            {"deploy": deploy},
            {"boot": boot},
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
                        "run": {"steps": test_steps(args, k, n)},
                    },
                }],
            }},
        ],
    }
    if args.env:
        job["metadata"]["igt-panthor.env"] = " ".join("%s=%s" % e for e in args.env)
    if is_qemu(args.device_type):
        job["context"] = {"arch": "arm64", "memory": args.memory}
    if args.tag:
        job["tags"] = list(args.tag)
    return job


def dump(job):
    if yaml:
        return yaml.safe_dump(job, sort_keys=False, default_flow_style=False, width=1000)
    return json.dumps(job, indent=2) + "\n"


def url_problem(url):
    """Why a URL cannot be put in a job, or None."""
    try:
        u = urllib.parse.urlsplit(url)
        host = (u.hostname or "").lower().rstrip(".")
    except ValueError as e:
        return "not a URL (%s)" % e
    if u.scheme not in ("http", "https", "ftp", "file"):
        return "scheme %r is not http, https, ftp or file" % u.scheme
    if u.scheme == "file":
        return None if u.path.startswith("/") else "a file URL needs an absolute path"
    if not host:
        return "no host"
    if host.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS or any(
            host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS):
        return "%s is a placeholder host (RFC 2606), not a server" % host
    if "..." in url:
        return "it contains '...', an elision from an example"
    return None


def parse_env(ap, items):
    env = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            ap.error("--env %r: expected NAME=VALUE" % item)
        env.append((name, value))
    return env


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", metavar="FILE", nargs="+", default=[],
                    help="validate job files against LAVA's schema and this generator's "
                         "rules, then exit (generates nothing)")
    ap.add_argument("--device-type", "--board", dest="device_type", default=DEFAULT_BOARD,
                    help="LAVA device type (default %s; 'qemu' for QEMU devices)" % DEFAULT_BOARD)
    ap.add_argument("--target", choices=("board", "model"), default=None,
                    help="run on the kernel driver or on the vpanthor model in the tarball "
                         "(default: model on qemu, board otherwise)")
    ap.add_argument("--shards", type=int, default=2, help="number of jobs (N of --shard K/N)")
    ap.add_argument("--output-dir")
    ap.add_argument("--kernel-url", help="kernel image (required)")
    ap.add_argument("--dtb-url", help="device tree blob (required on boards)")
    ap.add_argument("--modules-url", help="modules tar.xz (required on boards unless --no-modules)")
    ap.add_argument("--no-modules", action="store_true",
                    help="a board kernel with everything built in: deploy no modules")
    ap.add_argument("--rootfs-url", help="root filesystem: tar.xz (NFS) on boards, "
                                         "cpio.gz on qemu (required)")
    ap.add_argument("--igt-url", help="tar.gz of an igt-panthor install with prefix %s "
                                      "(required)" % INSTALL_DIR)
    ap.add_argument("--upload-url", help="PUT each shard's results directory under this URL")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment of the runner and the tests in the job "
                         "(e.g. VPANTHOR_QUIRKS=name on the model; repeatable)")
    ap.add_argument("--expectations", default=None,
                    help="prefix of the expectation files, e.g. panthor-rk3588 "
                         "(default: known per device type, none otherwise)")
    ap.add_argument("--per-test-timeout", type=int, default=60, help="seconds")
    ap.add_argument("--job-timeout", type=int, default=60, help="minutes")
    ap.add_argument("--deploy-timeout", type=int, default=10, help="minutes")
    ap.add_argument("--boot-timeout", type=int, default=10, help="minutes")
    ap.add_argument("--test-timeout", type=int, default=30, help="minutes")
    ap.add_argument("--memory", type=int, default=1536, help="qemu: guest memory in MiB")
    ap.add_argument("--kernel-args", default="", help="qemu: extra kernel command line")
    ap.add_argument("--priority", default="medium")
    ap.add_argument("--visibility", default="public")
    ap.add_argument("--prompt", default="root@.*:.*#")
    ap.add_argument("--name-prefix", default="igt-panthor")
    ap.add_argument("--tag", action="append", default=[])
    ap.add_argument("--runner-arg", action="append", default=[],
                    help="extra igt_panthor_runner argument (repeatable; write "
                         "--runner-arg=-t --runner-arg=REGEX for options)")
    args = ap.parse_args(argv)
    if args.check:
        return args
    if not args.output_dir:
        ap.error("--output-dir is required")
    if args.shards < 1:
        ap.error("--shards must be at least 1")
    if args.target is None:
        args.target = "model" if is_qemu(args.device_type) else "board"
    if args.expectations is None:
        args.expectations = DEFAULT_EXPECTATIONS.get(
            "qemu" if is_qemu(args.device_type) else args.device_type)
    args.env = parse_env(ap, args.env)

    needed = ["kernel_url", "rootfs_url", "igt_url"]
    if not is_qemu(args.device_type):
        needed.append("dtb_url")
        if not args.no_modules:
            needed.append("modules_url")
    elif args.dtb_url or args.modules_url:
        ap.error("--dtb-url and --modules-url are for boards: a qemu job boots the kernel "
                 "and cpio root filesystem alone")
    if args.no_modules:
        args.modules_url = None
    for key in needed:
        if not getattr(args, key):
            ap.error("--%s is required for device type %s (there is no default URL)"
                     % (key.replace("_", "-"), args.device_type))
    for key in needed + ["upload_url"]:
        value = getattr(args, key)
        why = url_problem(value) if value else None
        if why:
            ap.error("--%s %s: %s" % (key.replace("_", "-"), value, why))

    longest = args.deploy_timeout + args.boot_timeout + args.test_timeout
    if longest > args.job_timeout:
        ap.error("deploy + boot + test timeouts (%d min) exceed --job-timeout (%d min)"
                 % (longest, args.job_timeout))
    return args


def job_problems(job):
    """This generator's rules for a job (beyond LAVA's schema): a list of problems."""
    problems = []
    try:
        test = [a["test"] for a in job["actions"] if "test" in a][0]
        steps = test["definitions"][0]["repository"]["run"]["steps"]
    except (KeyError, IndexError, TypeError):
        return ["no inline test definition with run steps"]
    text = "\n".join(steps)
    if not re.search(r"--shard [0-9]+/[0-9]+ ", text):
        problems.append("no --shard K/N in the test steps")
    if "lava-test-case panthor-probed" not in text or "DRIVER=panthor" not in text:
        problems.append("no panthor-probed step checking a bound panthor device")
    if "lava-test-case" not in text or "deqp-results.csv" not in text:
        problems.append("subtests are not reported with lava-test-case")
    target = job.get("metadata", {}).get("igt-panthor.target", "board")
    if target == "board" and "--no-model" not in text:
        problems.append("a board job must never fall back to the model (--no-model)")
    if target == "model" and "--model " not in text:
        problems.append("a model job must ask for the model (--model)")
    for url in re.findall(r"\b(?:https?|ftp|file)://[^\s'\"]+", json.dumps(job)):
        why = url_problem(url)
        if why:
            problems.append("URL %s: %s" % (url, why))
    return problems


def check_files(paths):
    """--check: validates each file with LAVA's schema and job_problems()."""
    try:
        import yaml as yaml_mod
        from lava_common.schemas import validate
    except ImportError as e:
        print("error: cannot import LAVA's job schema (%s): install Debian's lava-common and "
              "python3-yaml and run this with /usr/bin/python3" % e, file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        try:
            with open(path) as f:
                job = yaml_mod.safe_load(f)
            validate(job, strict=True)
            problems = job_problems(job)
        except (OSError, yaml_mod.YAMLError) as e:
            problems = ["cannot read it: %s" % e]
        except Exception as e:  # voluptuous Invalid / MultipleInvalid
            problems = ["LAVA schema: %s" % e]
        if problems:
            bad += 1
            for p in problems:
                print("%s: %s" % (path, p))
        else:
            print("%s: valid" % path)
    return 1 if bad else 0


def generate(argv):
    """Writes the jobs; returns their paths."""
    args = parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    paths = []
    for k in range(1, args.shards + 1):
        path = os.path.join(args.output_dir,
                            "%s-shard-%d-of-%d.yaml" % (args.device_type, k, args.shards))
        with open(path, "w") as f:
            f.write(dump(make_job(args, k, args.shards)))
        paths.append(path)
    return paths


def main(argv):
    args = parse_args(argv)
    if args.check:
        return check_files(args.check)
    for p in generate(argv):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
