#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Validate the generated LAVA jobs with LAVA's own job schema.

Usage: check_lava_jobs.py [--build-dir DIR]

Runs lava_jobs.py for the board (rk3588-rock-5b, the drm-ci device type), a
second board and the qemu device type, and checks every job with
lava_common.schemas.validate(job, strict=True) from Debian's lava-common
package (which lives in the system interpreter, /usr/bin/python3), and with
the generator's own --check. Also checks that:
  - validation is real: a job with a key removed, a test timeout beyond the
    job timeout or an unknown boot method is rejected;
  - the board job differs from the qemu job only where a board must (deploy,
    boot, device type, and the runner's target: driver instead of model);
  - every URL is required and placeholder hosts are refused;
  - the probe step checks a DRM card bound to the panthor driver, and fails
    when only the module is there;
  - with --build-dir, the generator is installed (bin/igt_panthor_lava_jobs).
Exits non-zero on any problem, including a missing lava_common
(scripts/debian-packages.txt installs it).
"""

import copy
import io
import json
import os
import shlex
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import yaml
    from lava_common.schemas import validate
except ImportError as e:
    print("FAIL: cannot import the LAVA job schema (%s). Install Debian's lava-common and "
          "python3-yaml (listed in scripts/debian-packages.txt) and run this with "
          "/usr/bin/python3." % e)
    sys.exit(1)

import lava_jobs  # noqa: E402

URLS = {
    "kernel": "https://ci.farm.org/kernel/Image",
    "dtb": "https://ci.farm.org/kernel/rk3588-rock-5b.dtb",
    "modules": "https://ci.farm.org/kernel/modules.tar.xz",
    "rootfs": "https://ci.farm.org/rootfs/rootfs.tar.xz",
    "igt": "https://ci.farm.org/igt/igt-panthor.tar.gz",
}
BOARD_ARGS = ["--kernel-url", URLS["kernel"], "--dtb-url", URLS["dtb"],
              "--modules-url", URLS["modules"], "--rootfs-url", URLS["rootfs"],
              "--igt-url", URLS["igt"]]
QEMU_ARGS = ["--device-type", "qemu", "--kernel-url", URLS["kernel"],
             "--rootfs-url", "https://ci.farm.org/rootfs/rootfs.cpio.gz",
             "--igt-url", URLS["igt"]]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def must_reject(job, what):
    try:
        validate(job, strict=True)
    except Exception:
        return
    fail("the schema accepted a job with %s: validation is not effective" % what)


def steps_of(job):
    return job["actions"][2]["test"]["definitions"][0]["repository"]["run"]["steps"]


def check_jobs(out, argv, device_type, shards):
    paths = lava_jobs.generate(["--output-dir", out] + argv)
    if len(paths) != shards:
        fail("%d jobs for %s, expected %d" % (len(paths), device_type, shards))
    seen, jobs = [], []
    for path in paths:
        with open(path) as f:
            job = yaml.safe_load(f)
        try:
            validate(job, strict=True)
        except Exception as e:
            fail("%s does not validate: %s" % (path, e))
        if job["device_type"] != device_type:
            fail("%s: device_type %r" % (path, job["device_type"]))
        problems = lava_jobs.job_problems(job)
        if problems:
            fail("%s: %s" % (path, "; ".join(problems)))
        text = "\n".join(steps_of(job))
        shard = [s for s in range(1, shards + 1) if "--shard %d/%d " % (s, shards) in text]
        if len(shard) != 1:
            fail("%s: no single --shard K/%d in the test steps" % (path, shards))
        seen += shard
        jobs.append(job)
        print("valid: %s" % path)
    if sorted(seen) != list(range(1, shards + 1)):
        fail("shards %s, expected 1..%d" % (seen, shards))
    if lava_jobs.main(["--check"] + paths) != 0:
        fail("--check rejects the generated jobs")
    return jobs


def generator_error(argv):
    """Runs the generator, expecting a usage error; returns its message."""
    err = io.StringIO()
    try:
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            lava_jobs.generate(argv)
    except SystemExit as e:
        if e.code:
            return err.getvalue()
    fail("the generator accepted %s" % " ".join(argv))
    return ""


def check_urls(out):
    for drop in ("--kernel-url", "--dtb-url", "--modules-url", "--rootfs-url", "--igt-url"):
        i = BOARD_ARGS.index(drop)
        msg = generator_error(["--output-dir", out] + BOARD_ARGS[:i] + BOARD_ARGS[i + 2:])
        if drop not in msg or "required" not in msg:
            fail("without %s: %r" % (drop, msg))
    for bad in ("https://example.invalid/Image", "https://example.com/Image",
                "https://.../Image", "Image", "http://ci.test/Image"):
        msg = generator_error(["--output-dir", out] + BOARD_ARGS + ["--kernel-url", bad])
        if "--kernel-url" not in msg:
            fail("placeholder %s: %r" % (bad, msg))
    generator_error(["--output-dir", out] + QEMU_ARGS + ["--dtb-url", URLS["dtb"]])
    generator_error(["--output-dir", out] + QEMU_ARGS + ["--env", "no-equals"])
    # --no-modules is the only way to leave out the modules
    lava_jobs.generate(["--output-dir", out, "--no-modules"] +
                       [a for a in BOARD_ARGS if a not in ("--modules-url", URLS["modules"])])
    print("ok: every URL is required, placeholders are refused")


def check_board_vs_qemu(board, qemu):
    """The board job differs from the qemu job only where a board must."""
    b, q = copy.deepcopy(board), copy.deepcopy(qemu)
    if b["actions"][0]["deploy"]["to"] != "tftp" or q["actions"][0]["deploy"]["to"] != "tmpfs":
        fail("deploy methods: board %r, qemu %r" % (b["actions"][0]["deploy"]["to"],
                                                   q["actions"][0]["deploy"]["to"]))
    if b["actions"][1]["boot"]["method"] != "u-boot" or q["actions"][1]["boot"]["method"] != "qemu":
        fail("boot methods differ from u-boot / qemu")
    for j in (b, q):
        del j["actions"][0]["deploy"], j["actions"][1]["boot"]
        j.pop("context", None)
        for k in ("job_name", "device_type"):
            del j[k]
        for k in ("igt-panthor.device-type", "igt-panthor.target"):
            del j["metadata"][k]
    bs, qs = steps_of(b), steps_of(q)
    # the runner's target: the board's driver (probe through sysfs) or the model
    qs[:] = [s.replace("--model ", "--no-model ")
              .replace("qemu-shard-", "rk3588-rock-5b-shard-")
              .replace("/vpanthor-", "/panthor-rk3588-") for s in qs]
    qs[:] = [probe_script(s) if s.startswith("lava-test-case panthor-probed") else s
             for s in qs]
    bs[:] = [probe_script(s) if s.startswith("lava-test-case panthor-probed") else s
             for s in bs if s != "modprobe panthor || true"]
    if b != q:
        bj = json.dumps(b, indent=1, sort_keys=True).splitlines()
        qj = json.dumps(q, indent=1, sort_keys=True).splitlines()
        diff = [f"board: {x}\n  qemu: {y}" for x, y in zip(bj, qj) if x != y]
        fail("the board and qemu jobs differ beyond deploy, boot and target:\n" +
             "\n".join(diff[:10]))
    print("ok: the board job differs from the qemu job only in deploy, boot and target")


def probe_script(step):
    """The sh -c script of a panthor-probed step (lava-test-case NAME --shell CMD)."""
    return shlex.split(shlex.split(step)[3])[-1]


def check_probe(out):
    """The probe passes on a bound panthor card, fails on a module alone."""
    with open(os.path.join(out, "rk3588-rock-5b-shard-1-of-2.yaml")) as f:
        step = [s for s in steps_of(yaml.safe_load(f))
                if s.startswith("lava-test-case panthor-probed")][0]
    root = os.path.join(out, "probe")
    bindir = os.path.join(root, "bin")
    # lava-test-case --shell as LAVA's test shell has it: eval "$*", then the verdict
    os.makedirs(bindir, exist_ok=True)
    with open(os.path.join(bindir, "lava-test-case"), "w") as f:
        f.write('#!/bin/sh\nname=$1; shift 2; eval "$*"; rc=$?\n'
                'echo "case $name: $rc"; exit $rc\n')
    os.chmod(os.path.join(bindir, "lava-test-case"), 0o755)

    def probe(bound):
        # a fake sysfs: the same step with /sys and /dev under root
        for d in ("sys/class/drm/card0/device", "sys/module/panthor", "dev/dri"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        with open(os.path.join(root, "sys/class/drm/card0/device/uevent"), "w") as f:
            f.write("DRIVER=panthor\nOF_NAME=gpu\n" if bound else "OF_NAME=gpu\n")
        text = step.replace("/sys/", root + "/sys/").replace("/dev/dri/", root + "/dev/dri/")
        # a character device cannot be made here: the node test becomes a file test
        text = text.replace("[ -c ", "[ -e ")
        open(os.path.join(root, "dev/dri/card0"), "w").close()
        env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
        return subprocess.run(["sh", "-c", text], capture_output=True, text=True, env=env)

    p = probe(True)
    if p.returncode or "panthor device bound: card0" not in p.stdout:
        fail("the probe fails on a bound panthor card: %r %r" % (p.stdout, p.stderr))
    p = probe(False)
    if p.returncode == 0:
        fail("the probe passes with the module loaded but no device bound: %r" % p.stdout)
    print("ok: the probe needs a DRM card bound to the panthor driver")


def check_check_option(out, job):
    good = os.path.join(out, "good.yaml")
    with open(good, "w") as f:
        yaml.safe_dump(job, f)
    for mutate, what in ((lambda j: j.pop("visibility"), "LAVA schema"),
                         (lambda j: steps_of(j).__setitem__(
                             slice(None), [s for s in steps_of(j) if "panthor-probed" not in s]),
                          "panthor-probed"),
                         (lambda j: j["actions"][0]["deploy"]["kernel"].__setitem__(
                             "url", "https://example.com/Image"), "placeholder host")):
        broken = copy.deepcopy(job)
        mutate(broken)
        path = os.path.join(out, "broken.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(broken, f)
        p = subprocess.run([sys.executable, os.path.join(HERE, "lava_jobs.py"), "--check",
                            good, path], capture_output=True, text=True)
        if p.returncode != 1 or what not in p.stdout or "good.yaml: valid" not in p.stdout:
            fail("--check on a job without %s: exit %d, %r" % (what, p.returncode, p.stdout))
    print("ok: --check rejects a broken job and names the problem")


def check_installed(build_dir):
    with open(os.path.join(build_dir, "meson-info", "intro-installed.json")) as f:
        installed = json.load(f)
    dests = [d for s, d in installed.items() if s.endswith("/runner/ci/lava_jobs.py")]
    if not any(d.endswith("/bin/igt_panthor_lava_jobs") for d in dests):
        fail("lava_jobs.py is not installed as bin/igt_panthor_lava_jobs: %r" % dests)
    print("ok: installed as %s" % dests[0])


def main():
    build_dir = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--build-dir" else None
    with tempfile.TemporaryDirectory() as out:
        board = check_jobs(out, BOARD_ARGS, lava_jobs.DEFAULT_BOARD, 2)
        check_jobs(out, ["--board", "meson-g12b-a311d-khadas-vim3", "--shards", "3",
                         "--tag", "panthor"] + BOARD_ARGS[:2] + BOARD_ARGS[4:] +
                   ["--dtb-url", "https://ci.farm.org/kernel/meson-g12b-a311d-khadas-vim3.dtb"],
                   "meson-g12b-a311d-khadas-vim3", 3)
        qemu = check_jobs(os.path.join(out, "qemu"), QEMU_ARGS, "qemu", 2)
        check_board_vs_qemu(board[0], qemu[0])
        check_urls(out)
        check_probe(out)
        check_check_option(out, board[0])

        job = board[0]
        broken = copy.deepcopy(job)
        del broken["visibility"]
        must_reject(broken, "no visibility")
        broken = copy.deepcopy(job)
        broken["actions"][2]["test"]["timeout"] = {"minutes": 600}
        must_reject(broken, "a test timeout longer than the job timeout")
        broken = copy.deepcopy(job)
        broken["actions"][1]["boot"]["method"] = "no-such-method"
        must_reject(broken, "an unknown boot method")
    if build_dir:
        check_installed(build_dir)
    print("ok: LAVA jobs validate")


if __name__ == "__main__":
    main()
