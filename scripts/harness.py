#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hzram test harness: build a lane's kernel, module and initramfs, boot it
in QEMU (TCG), and turn what the guest reports into a verdict.

  harness.py check LANE...          run lanes, print one line each + total
  harness.py demo                   the demo guest, its story on the terminal
  harness.py shell LANE             interactive guest
  harness.py selftest [NAME...]     planted bugs must fail their lane
  harness.py lanes [--ci]           list lanes

A lane passes only if the guest wrote PASS on the verdict channel (a
second serial port or virtio console, never the console), every step
reported rc=0, every KUnit suite ended "ok", and the console holds none of
the patterns in BAD_PATTERNS. An oops, WARN (panic_on_warn), KASAN report,
lockdep splat or hang therefore cannot look like a pass.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("HZRAM_CACHE", "/var/cache/hzram")
OUT = os.environ.get("HZRAM_OUT", os.path.join(TOP, "out"))

ARCHES = {
    "x86_64": dict(deb="amd64", triplet="x86_64-linux-gnu", cross="",
                   karch="x86_64", console="ttyS0", verdict="/dev/ttyS1"),
    "arm": dict(deb="armhf", triplet="arm-linux-gnueabihf",
                cross="arm-linux-gnueabihf-", karch="arm",
                console="ttyAMA0", verdict="/dev/hvc0"),
    "arm64": dict(deb="arm64", triplet="aarch64-linux-gnu",
                  cross="aarch64-linux-gnu-", karch="arm64",
                  console="ttyAMA0", verdict="/dev/hvc0"),
}

# Guest userland: Debian packages of the lane's architecture. Only the
# listed binaries and the libraries they need end up in the initramfs.
USER_PKGS = ["busybox-static", "libc6", "libgcc-s1", "e2fsprogs",
             "libext2fs2", "libcom-err2", "libblkid1", "libuuid1",
             "libss2", "util-linux", "libsmartcols1", "libmount1",
             "libselinux1", "libpcre2-8-0", "libudev1", "libcap-ng0",
             "libtinfo6", "zlib1g",
             # kmod's modprobe and modinfo (what users run), Debian's
             # zram-generator and the systemd-makefs it runs, util-linux's
             # mkswap (systemd-makefs passes -U, which busybox's lacks).
             "kmod", "liblzma5", "libzstd1", "libssl3",
             "systemd-zram-generator", "systemd", "libsystemd-shared",
             "libacl1", "libcap2", "libcrypt1", "libgcrypt20",
             "libgpg-error0", "libip4tc2", "libkmod2", "liblz4-1",
             "libpam0g", "libaudit1", "libseccomp2",
             # util-linux's swapon (a swap unit's -p; busybox's has none).
             "mount"]
USER_BINS = ["bin/busybox", "sbin/mke2fs", "sbin/e2fsck", "sbin/zramctl",
             "sbin/mkswap", "sbin/blkid", "sbin/swapon", "bin/kmod",
             "lib/systemd/system-generators/zram-generator",
             "lib/systemd/systemd-makefs"]

# Guest steps are the tests/guest/NN-name.sh files, run in name order. A
# step that exits 77 was skipped (the kernel lacks what it needs).
STEP_RE = re.compile(r"^(\d\d-[\w-]+)\.sh$")


def all_steps():
    return sorted(m.group(1) for m in
                  (STEP_RE.match(f) for f in
                   os.listdir(os.path.join(TOP, "tests", "guest"))) if m)


# Console lines that fail a lane even if the guest wrote PASS (belt and
# braces: most of these also panic or taint).
BAD_PATTERNS = [
    r"\bBUG:", r"WARNING:", r"Kernel panic", r"\bOops\b", r"KASAN",
    r"UBSAN", r"possible (recursive|circular) locking",
    r"inconsistent lock state", r"sleeping function called from invalid",
    r"INFO: task .* blocked", r"kmemleak: .* new suspected memory leaks",
    r"general protection fault", r"Unable to handle kernel",
    r"page allocation failure", r"\bbad page state\b",
]

TIMEOUTS = {"x86_64": 2100, "arm": 2400, "arm64": 2400}


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    kw.setdefault("check", True)
    return subprocess.run(cmd, **kw)


def read_lanes():
    lanes = {}
    order = []
    with open(os.path.join(TOP, "qemu", "lanes")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, arch, kernel, frags, mem, cpus, ci = line.split()
            lanes[name] = dict(name=name, arch=arch, kernel=kernel,
                               frags=frags, mem=mem, cpus=cpus,
                               ci=(ci == "yes"))
            order.append(name)
    return lanes, order


# ---------------------------------------------------------------- kernel

def lane_kernel(lane):
    """Return dict(img, kdir, moddir or None, stock)."""
    if lane["kernel"].startswith("stock-"):
        out = run([os.path.join(TOP, "scripts", "stock-kernel.sh"),
                   lane["kernel"][len("stock-"):]],
                  stdout=subprocess.PIPE, text=True).stdout
        kv = dict(l.split("=", 1) for l in out.split())
        return dict(img=kv["KIMG"], kdir=kv["KDIR"], moddir=kv["KMODDIR"],
                    stock=True, rel=kv["KREL"])
    kdir = run([os.path.join(TOP, "scripts", "build-kernel.sh"),
                lane["arch"], lane["kernel"], lane["frags"]],
               stdout=subprocess.PIPE, text=True).stdout.strip()
    return dict(img=os.path.join(kdir, "kernel.img"), kdir=kdir,
                moddir=None, stock=False)


def kconfig(kdir):
    cfg = {}
    with open(os.path.join(kdir, ".config")) as f:
        for line in f:
            if line.startswith("CONFIG_"):
                k, v = line.strip().split("=", 1)
                cfg[k] = v
    return cfg


# ---------------------------------------------------------------- module

def build_module(lane, kern, plant=None):
    """Build zram.ko (+ zram_kunit.ko) out of a copy of the tree, so lanes
    built against different kernels never share object files."""
    a = ARCHES[lane["arch"]]
    bdir = os.path.join(OUT, lane["name"], "modbuild" + (
        "-plant-" + plant if plant else ""))
    os.makedirs(bdir, exist_ok=True)
    run(["rsync", "-a", "--delete", "--exclude", "*.o", "--exclude",
         "*.ko", "--exclude", ".*.cmd",
         os.path.join(TOP, "Kbuild"), os.path.join(TOP, "src"),
         os.path.join(TOP, "include"), os.path.join(TOP, "tests"),
         bdir + "/"])
    # HZ_TEST_HOOKS=1: the test build, with the debugfs "corrupt" file
    # and the allocator's fault points (never in a user's `make`).
    cmd = ["make", "-C", kern["kdir"], "M=" + bdir, "ARCH=" + a["karch"],
           "-j%d" % os.cpu_count(), "HZ_TEST_HOOKS=1", "modules"]
    if a["cross"]:
        cmd.append("CROSS_COMPILE=" + a["cross"])
    if plant:
        cmd.append("HZ_PLANT=" + plant)
    res = run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
              text=True, check=False)
    with open(os.path.join(bdir, "build.log"), "w") as f:
        f.write(res.stdout)
    if res.returncode:
        log(res.stdout[-4000:])
        raise RuntimeError("module build failed for " + lane["name"])
    return bdir


def find_module(moddir, name):
    """Path of module NAME (.ko or .ko.xz) in a stock module tree."""
    for root, _, files in os.walk(moddir):
        for f in files:
            base = f.split(".ko")[0]
            if f.endswith((".ko", ".ko.xz")) and \
                    base.replace("-", "_") == name.replace("-", "_"):
                return os.path.join(root, f)
    return None


def modinfo_depends(path, cross_ok=True):
    out = run(["modinfo", "-F", "depends", path], stdout=subprocess.PIPE,
              text=True, check=False).stdout.strip()
    return [d for d in out.split(",") if d]


def place_ko(src, dst_dir):
    """Copy a module into the initramfs; busybox insmod can't read .ko.xz."""
    base = os.path.basename(src)
    if base.endswith(".xz"):
        dst = os.path.join(dst_dir, base[:-3])
        with open(dst, "wb") as f:
            run(["xz", "-dc", src], stdout=f)
    else:
        dst = os.path.join(dst_dir, base)
        shutil.copy(src, dst)
    return os.path.basename(dst)


def stock_dep_chain(moddir, names, seen, order):
    """Topologically order a stock kernel's module dependencies."""
    for n in names:
        if n in seen:
            continue
        seen.add(n)
        p = find_module(moddir, n)
        if not p:
            continue        # built in
        stock_dep_chain(moddir, modinfo_depends(p), seen, order)
        order.append(p)


def write_module_set(stage, name, paths):
    """/lib/modules/<name>/: the modules plus an `order` file listing them
    in load order, one per line (the guest insmods them in that order)."""
    d = os.path.join(stage, "lib", "modules", name)
    os.makedirs(d)
    order = [place_ko(p, d) for p in paths]
    with open(os.path.join(d, "order"), "w") as f:
        f.write("".join(o + "\n" for o in order))
    return d


def stage_modules(stage, lane, kern, bdir):
    """The module sets the guest can load: hzram (ours), upstream (the
    kernel's own zram, for comparison) and base (what every step needs)."""
    moddir = kern["moddir"]

    def stock_chain(names):
        deps = []
        stock_dep_chain(moddir, names, set(), deps)
        return deps

    hz = []
    if bdir:
        zko = os.path.join(bdir, "zram.ko")
        hz = (stock_chain(modinfo_depends(zko)) if kern["stock"] else []) \
            + [zko]
    d = write_module_set(stage, "hzram", hz)
    if bdir and os.path.exists(os.path.join(bdir, "zram_kunit.ko")):
        place_ko(os.path.join(bdir, "zram_kunit.ko"), d)

    if kern["stock"]:
        zp = find_module(moddir, "zram")
        # 6.12's zram picks its backends at build time but the lib
        # compressors are separate modules; 6.1's zram reaches them
        # through the crypto API (lz4, lz4hc, zstd). Load them all.
        up = stock_chain(modinfo_depends(zp) + [
            "lz4_compress", "lz4hc_compress", "zstd_compress",
            "lz4", "lz4hc", "zstd"]) + [zp]
    else:
        up = [p for p in (os.path.join(kern["kdir"], rel) for rel in
                          ("mm/zsmalloc.ko", "drivers/block/zram/zram.ko"))
              if os.path.exists(p)]
    write_module_set(stage, "upstream", up)

    # HZ_BENCH_EXTRA="NAME=PATH ...": other zram.ko builds for make bench
    # to measure beside hzram and upstream (another commit's hzram, built
    # for the same kernel); the guest loads them as /lib/modules/NAME.
    if bench_mode() == "bench":
        for spec in os.environ.get("HZ_BENCH_EXTRA", "").split():
            name, ko = spec.split("=", 1)
            if name in ("hzram", "upstream", "base", "bench") or \
                    not os.path.exists(ko):
                raise RuntimeError("HZ_BENCH_EXTRA: bad entry " + spec)
            write_module_set(stage, name, (stock_chain(modinfo_depends(ko))
                                           if kern["stock"] else []) + [ko])

    # make bench-alloc: hzbench_zs.ko runs hzs's benchmark on the kernel's own
    # zsmalloc, which it needs loaded first.
    bko = os.path.join(bdir, "hzbench_zs.ko") if bdir else ""
    if os.path.exists(bko):
        zs = os.path.join(kern["kdir"], "mm", "zsmalloc.ko")
        deps = stock_chain(modinfo_depends(bko)) if kern["stock"] else \
            [zs] if os.path.exists(zs) else []
        write_module_set(stage, "bench", deps + [bko])

    # ext4 is modular on Debian, and asks the crypto API for crc32c at
    # mount time; loop backs the writeback steps' backing devices.
    write_module_set(stage, "base", stock_chain(["ext4", "crc32c_generic",
                                                 "loop"])
                     if kern["stock"] else [])


# ---------------------------------------------------------------- userland

def guest_apt(deb, root):
    """apt-get options for a private apt state that sees only `deb`.

    Guest packages come from the host's own sources (same mirror, same
    keys), read with the foreign architecture as the only one. The host's
    dpkg never gets a foreign architecture: on a fresh machine a mirror
    whose armhf index is mid-sync would otherwise make the host's whole
    `apt-get update` of that suite fail, and with no old lists to fall
    back on, linux-source-6.12 (in bookworm-security) vanishes with it.
    """
    state = os.path.join(root, "apt")
    etc = os.path.join(state, "etc")
    parts = os.path.join(etc, "sources.list.d")
    shutil.rmtree(etc, ignore_errors=True)
    os.makedirs(parts)
    for d in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(state, d), exist_ok=True)
    if os.path.exists("/etc/apt/sources.list"):
        shutil.copy("/etc/apt/sources.list", os.path.join(etc, "sources.list"))
    if os.path.isdir("/etc/apt/sources.list.d"):
        for f in os.listdir("/etc/apt/sources.list.d"):
            if f.endswith((".list", ".sources")):
                shutil.copy(os.path.join("/etc/apt/sources.list.d", f), parts)
    status = os.path.join(state, "status")
    open(status, "a").close()
    opts = {
        "APT::Architecture": deb,
        "APT::Architectures::": deb,
        "Dir::State": state,
        "Dir::State::Lists": os.path.join(state, "lists"),
        "Dir::State::status": status,
        "Dir::Cache": os.path.join(state, "cache"),
        "Dir::Etc::SourceList": os.path.join(etc, "sources.list"),
        "Dir::Etc::SourceParts": parts,
        # The cache lives in root-owned directories _apt cannot write.
        "APT::Sandbox::User": "root",
    }
    return [x for k, v in opts.items() for x in ("-o", "%s=%s" % (k, v))]


def userland(arch):
    """Unpack the guest packages once per arch; return the root dir."""
    a = ARCHES[arch]
    key = hashlib.sha256(" ".join(USER_PKGS + USER_BINS).encode()) \
        .hexdigest()[:12]
    root = os.path.join(CACHE, "userland", "%s-%s" % (a["deb"], key))
    if os.path.exists(os.path.join(root, ".done")):
        return root
    shutil.rmtree(root, ignore_errors=True)
    debs = os.path.join(root, "debs")
    os.makedirs(debs)
    opts = guest_apt(a["deb"], root)
    # A suite that fails to update (a mirror mid-sync, a third-party
    # repository without this architecture) is dropped, not fatal: the
    # download below is what has to succeed, and says which package is
    # missing if it does not.
    if run(["apt-get", "update", "-qq"] + opts, check=False).returncode:
        log("userland: apt-get update for %s had errors; going on with "
            "the suites that updated" % a["deb"])
    run(["apt-get", "download", "-q"] + opts + USER_PKGS, cwd=debs,
        stdout=subprocess.DEVNULL)
    tree = os.path.join(root, "tree")
    for d in sorted(os.listdir(debs)):
        run(["dpkg-deb", "-x", os.path.join(debs, d), tree])
    shutil.rmtree(debs)
    shutil.rmtree(os.path.join(root, "apt"))
    open(os.path.join(root, ".done"), "w").close()
    return root


def elf_needs(path):
    out = run(["readelf", "-d", "-l", path], stdout=subprocess.PIPE,
              stderr=subprocess.DEVNULL, text=True, check=False).stdout
    needed = re.findall(r"\(NEEDED\).*\[(.+?)\]", out)
    interp = re.findall(r"Requesting program interpreter: (.+?)\]", out)
    # systemd's programs find libsystemd-shared through their RUNPATH.
    rpath = [d.lstrip("/") for r in
             re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.+?)\]", out)
             for d in r.split(":")]
    return needed, interp, rpath


def copy_user(stage, arch):
    a = ARCHES[arch]
    tree = os.path.join(userland(arch), "tree")
    libdirs = ["lib/" + a["triplet"], "usr/lib/" + a["triplet"], "lib",
               "usr/lib"]

    def copy(rel):
        src = os.path.join(tree, rel)
        dst = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.exists(dst):
            return
        shutil.copy(os.path.realpath(src), dst)

    todo = list(USER_BINS)
    done = set()
    while todo:
        rel = todo.pop()
        if rel in done:
            continue
        done.add(rel)
        if not os.path.exists(os.path.join(tree, rel)):
            raise RuntimeError("guest userland lacks " + rel)
        copy(rel)
        needed, interp, rpath = elf_needs(os.path.join(tree, rel))
        for i in interp:
            todo.append(i.lstrip("/"))
        for lib in needed:
            for d in rpath + libdirs:
                if os.path.exists(os.path.join(tree, d, lib)):
                    todo.append(os.path.join(d, lib))
                    break
            else:
                raise RuntimeError("%s needs %s, not found" % (rel, lib))
    # The interpreter path may be a symlink in the package (/lib64/...).
    for link in ("sbin/mkfs.ext4", "sbin/fsck.ext4"):
        os.makedirs(os.path.join(stage, "sbin"), exist_ok=True)
    os.symlink("mke2fs", os.path.join(stage, "sbin", "mkfs.ext4"))
    os.symlink("e2fsck", os.path.join(stage, "sbin", "fsck.ext4"))
    # kmod's modprobe and modinfo, what a user's system runs; in /bin so
    # that busybox --install (which never replaces a file) leaves them.
    for tool in ("modprobe", "modinfo", "depmod"):
        os.symlink("kmod", os.path.join(stage, "bin", tool))


def build_guest_programs(stage, arch):
    a = ARCHES[arch]
    cc = a["cross"] + "gcc"
    tdir = os.path.join(stage, "tests")
    gdir = os.path.join(TOP, "tests", "guest")
    for f in sorted(os.listdir(gdir)):
        if f.endswith(".c"):
            run([cc, "-O2", "-Wall", "-static", "-pthread", "-o",
                 os.path.join(tdir, f[:-2]), os.path.join(gdir, f)])
        elif f.endswith(".sh"):
            shutil.copy(os.path.join(gdir, f), tdir)


def build_initramfs(lane, kern, bdir, steps, extra_env=None, files=None):
    stage = os.path.join(OUT, lane["name"], "initramfs")
    shutil.rmtree(stage, ignore_errors=True)
    for d in ("bin", "sbin", "dev", "proc", "sys", "tmp", "mnt", "etc/hzram",
              "tests"):
        os.makedirs(os.path.join(stage, d), exist_ok=True)
    copy_user(stage, lane["arch"])
    build_guest_programs(stage, lane["arch"])
    stage_modules(stage, lane, kern, bdir)
    # Extra files (the bench corpus): {path in the guest: host path}.
    for dst, src in (files or {}).items():
        dst = os.path.join(stage, dst.lstrip("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(src, dst)
    shutil.copy(os.path.join(TOP, "qemu", "init"), os.path.join(stage, "init"))
    os.chmod(os.path.join(stage, "init"), 0o755)
    env = dict(LANE=lane["name"], HZ_STEPS=" ".join(steps),
               HZ_MODULES="hzram",
               HZ_HIGHMEM="1" if lane["arch"] == "arm" else "0",
               HZ_ABOVE4G="1" if lane["arch"] == "arm" and
               mem_mib(lane["mem"]) > 4096 else "0",
               HZ_QUICK="0" if lane["arch"] == "x86_64" else "1")
    env.update(extra_env or {})
    with open(os.path.join(stage, "etc", "hzram", "lane.env"), "w") as f:
        for k, v in env.items():
            f.write('%s="%s"\n' % (k, v))
    img = os.path.join(OUT, lane["name"], "initrd.cpio.gz")
    run("cd %s && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 > %s"
        % (stage, img), shell=True)
    return img


# ---------------------------------------------------------------- qemu

def mem_mib(m):
    return int(m[:-1]) * (1024 if m.endswith("G") else 1)


def qemu_cmd(lane, kern, initrd, verdict, console, interactive=False):
    a = ARCHES[lane["arch"]]
    # kunit.enable=1: 6.12's allnoconfig leaves KUNIT_DEFAULT_ENABLED off
    # (6.1 has no such switch and ignores the parameter).
    append = ("console=%s panic=-1 oops=panic hzram.verdict=%s "
              "kunit.enable=1 loglevel=6 %s" % (
                  a["console"], a["verdict"],
                  "hzram.shell=1" if interactive else ""))
    if lane["arch"] == "x86_64":
        # no_timer_check: on a loaded host, TCG runs the boot-time
        # IO-APIC timer check too slowly and the kernel panics ("IO-APIC
        # + timer doesn't work!") before init; seen with three guests
        # and a kernel build sharing 2 cores.
        append += " no_timer_check"
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max"]
        chans = ["-serial", "mon:stdio" if interactive else
                 "file:" + console, "-serial", "file:" + verdict]
    else:
        if lane["arch"] == "arm" and mem_mib(lane["mem"]) > 3072:
            # QEMU 7.2's qemu-system-arm truncates LPAE table-walk
            # addresses to 32 bits: once a (HIGHPTE) page table sits above
            # 4 GiB the guest faults forever right after /init. The
            # aarch64 binary runs the same 32-bit cortex-a15 guest with
            # 64-bit physical addressing and has no such bug.
            cmd = ["qemu-system-aarch64", "-M", "virt,highmem=on",
                   "-cpu", "cortex-a15"]
        elif lane["arch"] == "arm":
            cmd = ["qemu-system-arm", "-M", "virt,highmem=on",
                   "-cpu", "cortex-a15"]
        else:
            cmd = ["qemu-system-aarch64", "-M", "virt",
                   "-cpu", "max,pauth-impdef=on"]
        chans = ["-serial", "mon:stdio" if interactive else
                 "file:" + console,
                 "-device", "virtio-serial-device",
                 "-chardev", "file,id=verdict,path=" + verdict,
                 "-device", "virtconsole,chardev=verdict"]
    cmd += ["-m", lane["mem"], "-smp", lane["cpus"], "-no-reboot",
            "-display", "none", "-kernel", kern["img"], "-initrd", initrd,
            "-append", append] + chans
    if not interactive:
        cmd += ["-monitor", "none"]
    return cmd


def boot(lane, kern, initrd, timeout, echo=None):
    """Run the guest. With echo (a prefix), the console lines that start
    with it are printed live without it, and FAIL: lines as they are;
    without, the check progress markers are."""
    ldir = os.path.join(OUT, lane["name"])
    console = os.path.join(ldir, "console.log")
    verdict = os.path.join(ldir, "verdict.txt")
    for f in (console, verdict):
        if os.path.exists(f):
            os.unlink(f)
    open(console, "w").close()
    cmd = qemu_cmd(lane, kern, initrd, verdict, console)
    with open(os.path.join(ldir, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(ldir, "qemu.err"), "w"))
    start = time.time()
    pos = 0
    timed_out = False
    while True:
        # Stream progress markers (or the demo's story). Read bytes: pos
        # is a byte offset, and the console's lines end in \r\n, which a
        # text-mode read would shorten to \n (pos would fall behind and
        # lines come out twice).
        with open(console, "rb") as f:
            f.seek(pos)
            chunk = f.read()
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                for line in chunk[:nl].decode(errors="replace").splitlines():
                    if echo is not None:
                        if line.startswith(echo):
                            print(line[len(echo):], flush=True)
                        elif line == echo.rstrip():
                            print(flush=True)
                        elif line.startswith("FAIL:"):
                            print(line, flush=True)
                    elif line.startswith(("HZ-STEP", "HZ-CHECK", "HZ-RESULT",
                                          "FAIL:", "HZ-LANE")):
                        log("  [%s] %s" % (lane["name"], line.strip()))
                pos += nl + 1
        if proc.poll() is not None:
            break
        if time.time() - start > timeout:
            proc.kill()
            proc.wait()
            timed_out = True
            break
        time.sleep(1)
    elapsed = time.time() - start
    text = open(console, errors="replace").read()
    vtext = open(verdict, errors="replace").read() \
        if os.path.exists(verdict) else ""
    return text, vtext, timed_out, elapsed


# ---------------------------------------------------------------- verdict

def parse_ktap(text):
    """KUnit cases from the HZ-KTAP blocks: {suite: [(case, status)]}.

    A suite's cases sit at the indentation of its "# Subtest: <suite>"
    line; deeper lines are parameter instances, which roll up into their
    case's own result line."""
    suites = {}
    for m in re.finditer(r"HZ-KTAP-BEGIN (\S+)\n(.*?)HZ-KTAP-END",
                         text, re.S):
        suite, body = m.group(1), m.group(2)
        sub = re.search(r"^([ \t]*)# Subtest: %s$" % re.escape(suite),
                        body, re.M)
        depth = len(sub.group(1).expandtabs(8)) if sub else 4
        cases = []
        for line in body.splitlines():
            mm = re.match(r"^(\s*)(not ok|ok) \d+ (?:- )?(.*)$", line)
            if not mm or len(mm.group(1).expandtabs(8)) != depth:
                continue
            name = mm.group(3)
            if "# SKIP" in name:
                st = "skip"
            elif mm.group(2) == "ok":
                st = "pass"
            else:
                st = "fail"
            cases.append((name.split(" #")[0], st))
        suites[suite] = cases
    return suites


def judge(lane, text, vtext, timed_out, steps):
    reasons = []
    if timed_out:
        reasons.append("timeout")
    if "HZRAM-VERDICT PASS " + lane["name"] not in vtext:
        reasons.append("no PASS on the verdict channel")
    for p in BAD_PATTERNS:
        m = re.search(p, text)
        if m:
            line = text[text.rfind("\n", 0, m.start()) + 1:
                        text.find("\n", m.end())]
            reasons.append("console: " + line.strip()[:120])
            break
    step_res = dict(re.findall(r"HZ-STEP-END (\S+) rc=(\d+)", text))
    passed = failed = skipped = 0
    for s in steps:
        if step_res.get(s) == "0":
            passed += 1
        elif step_res.get(s) == "77":
            skipped += 1
        else:
            failed += 1
            reasons.append("step %s %s" % (s, "rc=" + step_res[s]
                                           if s in step_res else "did not finish"))
    suites = parse_ktap(text)
    kp = kf = ks = 0
    for s, cases in suites.items():
        for c, st in cases:
            if st == "pass":
                kp += 1
            elif st == "skip":
                ks += 1
            else:
                kf += 1
                reasons.append("kunit %s.%s failed" % (s, c))
    if "10-kunit" in steps and not suites:
        reasons.append("no KUnit results")
    return dict(ok=not reasons, reasons=reasons, steps=(passed, failed),
                skipped=skipped, kunit=(kp, kf, ks), suites=suites,
                oops=oops_digest(text))


# CI shows only the tail of a run, where an oops's second register dump
# and the panic line sit; its call trace is long gone. The digest (the
# first report line, where it hit and the innermost frames) goes into the
# final summary, which is that tail.
SYM_RE = re.compile(r"([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+")


def oops_digest(text):
    lines = text.splitlines()
    first = None
    for i, ln in enumerate(lines):
        if any(re.search(p, ln) for p in BAD_PATTERNS):
            first = i
            break
    if first is None:
        return []
    out = [lines[first].strip()[:160]]
    frames = []
    in_trace = False
    for ln in lines[first:first + 150]:
        if re.search(r"\b(RIP:|PC is at|pc :|LR is at|lr :)", ln) and \
                len(out) < 3:
            out.append(ln.strip()[:160])
        if re.search(r"Call [Tt]race:|Backtrace:", ln):
            in_trace = True
        elif in_trace and "? " not in ln:
            for f in SYM_RE.findall(ln):
                if f not in frames:
                    frames.append(f)
        if "---[ end trace" in ln:
            break
    if frames:
        out.append("trace: " + " < ".join(frames[:14]))
    return out


def step_tags(step):
    """A step can say "# hz-only: long" in its first lines: it then runs
    only under make check-all (HZ_LONG=1), not in the CI set. A "bench"
    step runs only under make bench (HZ_BENCH=1 or zram), a "bench-alloc"
    one only under make bench-alloc (HZ_BENCH=alloc); a bench runs nothing
    else. A "stock" step runs only on Debian's stock kernels."""
    with open(os.path.join(TOP, "tests", "guest", step + ".sh")) as f:
        head = f.read(2048)
    m = re.search(r"^# hz-only: (.+)$", head, re.M)
    return m.group(1).split() if m else []


def lane_steps(lane, kern):
    steps = all_steps()
    # HZ_ONLY="00-env 40-swap": run just these steps (while iterating).
    # Naming a step selects it even if it is tagged long.
    only = os.environ.get("HZ_ONLY", "").split()
    if only:
        steps = [s for s in steps if s in only]
    elif os.environ.get("HZ_LONG", "0") != "1":
        steps = [s for s in steps if "long" not in step_tags(s)]
    # make bench runs the bench-tagged steps of its mode and only them;
    # check never runs a step with either tag.
    mode = bench_mode()
    if not only:
        steps = [s for s in steps if
                 (mode is not None and mode in step_tags(s)) or
                 (mode is None and not {"bench", "bench-alloc"} &
                  set(step_tags(s)))]
    if kern["stock"] or not kconfig(kern["kdir"]).get("CONFIG_KUNIT"):
        steps = [s for s in steps if s != "10-kunit"]
    # "# hz-only: stock": Debian's stock kernels only (the DKMS build).
    if not kern["stock"]:
        steps = [s for s in steps if "stock" not in step_tags(s)]
    return steps


def bench_mode():
    """None (a test run), "bench" (hzram against the kernel's zram, the
    default of make bench) or "bench-alloc" (hzs against zsmalloc): the
    step tag a run selects."""
    v = os.environ.get("HZ_BENCH", "0")
    if v in ("", "0"):
        return None
    if v in ("1", "zram"):
        return "bench"
    if v == "alloc":
        return "bench-alloc"
    sys.exit("HZ_BENCH=%s: expected zram or alloc" % v)


# make bench (zram mode): the matrix the guest step 95-bench-zram runs,
# passed through lane.env. Any of them can be overridden from the
# environment (HZ_BENCH_ROUNDS=1 for a quick look). See testing.rst.
BENCH_ENV = dict(HZ_BENCH_ROUNDS="3", HZ_BENCH_ALGOS="lz4 zstd lzo-rle lz4hc",
                 HZ_BENCH_BIG_ALGOS="lz4 zstd", HZ_BENCH_BIG_MIB="1024",
                 HZ_BENCH_MIB="64", HZ_BENCH_SWAP_MIB="48",
                 HZ_BENCH_SWAP_PASSES="1", HZ_BENCH_WB_ALGOS="lz4",
                 HZ_BENCH_WB_MIB="16", HZ_BENCH_WB_VARIANTS="b1 cwb b32",
                 # Recompression: primary then secondary, on MIB of corpus.
                 HZ_BENCH_RECOMP_ALGOS="lz4 zstd", HZ_BENCH_RECOMP_MIB="64",
                 # Empty: every part (io swap big wb recomp), or only swap
                 # with HZ_BENCH_SWAP_GLOBAL=1.
                 HZ_BENCH_TESTS="",
                 # Opt-in: the swap test under global memory pressure (no
                 # memory cgroup, a small guest), where the pool's shrinker
                 # runs. See testing.rst.
                 HZ_BENCH_SWAP_GLOBAL="0",
                 HZ_BENCH_SWAP_GLOBAL_ALGOS="lz4",
                 HZ_BENCH_SWAP_GLOBAL_PCT="120",
                 # MiB; empty: HZ_BENCH_SWAP_GLOBAL_PCT of MemAvailable.
                 HZ_BENCH_SWAP_GLOBAL_MIB="",
                 HZ_BENCH_SWAP_GLOBAL_THREADS="4",
                 HZ_BENCH_SWAP_GLOBAL_PASSES="2",
                 # "NAME=PATH ...": more zram.ko builds measured in turn.
                 HZ_BENCH_EXTRA="",
                 # 96-bench-profile: where the kernel's time goes (hzprof);
                 # empty HZ_PROF_ALGOS turns it off.
                 HZ_PROF_ALGOS="lz4 zstd", HZ_PROF_MIB="128",
                 HZ_PROF_HZ="2000", HZ_PROF_READS="3")
# Guest RAM for the bench: 1 GiB stored, the 64 MiB corpus in the
# initramfs and zbench's own copy of it need more than the test lanes'.
BENCH_MEM = "3G"
# The global swap test wants the workload to exceed the guest's RAM.
BENCH_MEM_GLOBAL = "512M"


def bench_mem(lane):
    """The bench guest's RAM: HZ_BENCH_MEM as given (lower or higher than
    the lane's); else BENCH_MEM_GLOBAL with HZ_BENCH_SWAP_GLOBAL=1; else
    the lane's raised to BENCH_MEM, never lowered."""
    if os.environ.get("HZ_BENCH_MEM"):
        return os.environ["HZ_BENCH_MEM"]
    if os.environ.get("HZ_BENCH_SWAP_GLOBAL", "0") == "1":
        return BENCH_MEM_GLOBAL
    return BENCH_MEM if mem_mib(BENCH_MEM) > mem_mib(lane["mem"]) \
        else lane["mem"]


_corpus = []


def bench_corpus():
    """Build the corpus on the host once per run (deterministic; about
    6 s) and return its path."""
    if _corpus:
        return _corpus[0]
    d = os.path.join(OUT, "bench")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "corpus.bin")
    out = run([sys.executable, os.path.join(TOP, "scripts", "bench-corpus.py"),
               path], stdout=subprocess.PIPE, text=True).stdout
    log(out.rstrip())
    _corpus.append(path)
    return path


# The lanes of the README's figures (make bench's default).
BENCH_LANES = ["stock-6.12", "stock-6.1"]


def bench_report(names):
    """Tables, CSVs and plots from the lanes' consoles (Debian's
    matplotlib, so Debian's python). The README section is rewritten
    only by a full run of the default lanes with the default matrix (or
    with HZ_BENCH_README=1), so a quick look never replaces it."""
    log("== bench report")
    full = names == BENCH_LANES and not any(k in os.environ
                                             for k in BENCH_ENV)
    readme = os.environ.get("HZ_BENCH_README", "1" if full else "0") == "1"
    if not readme:
        log("README.md left alone (not a full run of %s; "
            "HZ_BENCH_README=1 forces it)" % " ".join(BENCH_LANES))
    run(["/usr/bin/python3", os.path.join(TOP, "scripts", "bench-report.py")]
        + (["--readme"] if readme else []) + names, check=False)


# make check's packaging part (#17): scripts/check-package.sh builds the
# .deb, installs it with apt into a debootstrapped Debian 12 that has the
# stock 6.1 and 6.12 images and headers, and leaves per kernel release
# the zram.ko that DKMS built and the modules.* that depmod then wrote
# (OUT/pkg/<release>/). The stock lanes' guests get them as their
# /lib/modules/<release> (pkg_files), so that the steps tagged "pkg"
# (15-dkms, 61-zram-generator) can `modprobe zram` as a user does.
# HZ_PACKAGE=0 skips it (those steps then skip); HZ_PACKAGE=DIR uses an
# earlier run's output in DIR instead of running it.
PKG_KERNELS = ("stock-6.1", "stock-6.12")


class PackageCheck:
    """Run check-package once, in the background (niced), beside the
    kernel builds and the first lanes' guests; the stock lanes wait for
    it. CI's set runs the stock lanes last, so it is off the critical
    path there."""

    def __init__(self):
        import threading
        self.dir = os.path.join(OUT, "pkg")
        self.log = os.path.join(OUT, "pkg.log")
        self.ok = None
        self.secs = 0
        self.line = ""
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self):
        t0 = time.time()
        log("== check-package (in the background; log %s)" % self.log)
        self.ok = False
        self.line = "check-package: did not run"
        # Whatever happens here, the stock lanes waiting in get() go on.
        try:
            os.makedirs(OUT, exist_ok=True)
            with open(self.log, "w") as f:
                rc = subprocess.call(["nice", "-n", "10", os.path.join(
                    TOP, "scripts", "check-package.sh"), self.dir],
                    stdin=subprocess.DEVNULL, stdout=f,
                    stderr=subprocess.STDOUT)
            lines = open(self.log, errors="replace").read().splitlines()
            self.line = next((l for l in reversed(lines)
                              if l.startswith("check-package: ")),
                             "no output")
            self.ok = rc == 0 and self.line == "check-package: PASS"
        except OSError as e:
            self.line = "check-package: %s" % e
        finally:
            self.secs = time.time() - t0
            log("check-package %s in %ds%s" % (
                "PASS" if self.ok else "FAIL", self.secs,
                "" if self.ok else ": " + self.line))
            self.done.set()

    def get(self):
        self.done.wait()
        return self.dir if self.ok else None


def package_wanted(names, lanes):
    """check-package runs when a lane it builds for runs a pkg step."""
    if os.environ.get("HZ_PACKAGE", "1") == "0" or bench_mode() or \
            os.environ.get("HZ_MODULES", "hzram") != "hzram" or \
            os.geteuid() != 0:
        return False
    if not any(lanes[n]["kernel"] in PKG_KERNELS for n in names):
        return False
    only = os.environ.get("HZ_ONLY", "").split()
    return any(step_uses_pkg(s) for s in all_steps()
               if not only or s in only)


def pkg_files(pkgdir, kern):
    """{guest path: host path}: /lib/modules/<release>/ as the user's
    machine has it after apt install: depmod's modules.* (less the text
    alias and symbol lists, which modprobe does not read), the DKMS-built
    updates/dkms/zram.ko, the modules modules.dep says it needs, and the
    in-tree zram.ko that it must win over, those two from the image the
    guest boots."""
    rel = kern["rel"]
    src = os.path.join(pkgdir, rel)
    if not os.path.exists(os.path.join(src, "modules.dep")):
        return {}
    dst = "/lib/modules/" + rel + "/"
    files = {}
    for f in os.listdir(src):
        if f.startswith("modules.") and \
                f not in ("modules.alias", "modules.symbols"):
            files[dst + f] = os.path.join(src, f)
    dep = {}
    with open(os.path.join(src, "modules.dep")) as f:
        for line in f:
            mod, _, deps = line.partition(":")
            dep[os.path.basename(mod).split(".ko")[0]] = (mod, deps.split())
    mod, need = dep.get("zram", ("", []))
    if not re.match(r"^updates/dkms/zram\.ko(\.xz)?$", mod):
        raise RuntimeError("%s/modules.dep: zram is '%s', not updates/dkms's"
                           % (src, mod))
    files[dst + mod] = os.path.join(src, os.path.basename(mod))
    # zram-generator runs `modprobe crypto-<algorithm>` for the
    # algorithms it is given that /proc/crypto lacks (upstream 6.1's zram
    # goes through the crypto API; hzram does not): the crypto modules
    # are there for it, as on the user's machine.
    for name in ("lz4", "zstd"):
        if name in dep:
            need += [dep[name][0]] + dep[name][1]
    intree = find_module(os.path.join(kern["moddir"], "kernel", "drivers",
                                      "block", "zram"), "zram")
    if not intree:
        raise RuntimeError("no in-tree zram.ko in " + kern["moddir"])
    need.append(os.path.relpath(intree, kern["moddir"]))
    for m in set(need):
        files[dst + m] = os.path.join(kern["moddir"], m)
    files["/etc/hzram/pkg-version"] = os.path.join(pkgdir, "version")
    return files


def step_uses_pkg(step):
    """A step that says "# hz-uses: pkg" in its first lines wants the
    DKMS-built module tree (it skips where there is none)."""
    with open(os.path.join(TOP, "tests", "guest", step + ".sh")) as f:
        return re.search(r"^# hz-uses: .*\bpkg\b", f.read(2048), re.M) \
            is not None


def pkg_stage(lane, kern, pkg, files):
    """Add the DKMS tree to the guest's files; return "" if it is there,
    else why not (the pkg steps print it when they skip)."""
    if lane["kernel"] not in PKG_KERNELS:
        return "check-package builds for %s only, not %s" % (
            " and ".join(PKG_KERNELS), lane["kernel"])
    pdir = os.environ.get("HZ_PACKAGE", "1")
    if pdir == "0":
        return "HZ_PACKAGE=0"
    if pdir == "1":
        pdir = pkg.get() if pkg else None
        if not pdir:
            return "check-package failed" if pkg else \
                "check-package not run (harness.py %s%s)" % (
                    sys.argv[1], "" if os.geteuid() == 0 else ", not root")
    got = pkg_files(pdir, kern)
    if not got:
        return "no %s/%s/modules.dep" % (pdir, kern["rel"])
    files.update(got)
    return ""


class KernelPrefetch:
    """Prepare the kernels of the lanes to come (builds at low priority,
    stock downloads) while the current lane's guest runs, one at a time,
    in lane order. CI's wall time is mostly kernel builds and guests;
    this overlaps them."""

    def __init__(self, lanes):
        import threading
        self.lanes = lanes
        self.done = {l["name"]: threading.Event() for l in lanes}
        self.result = {}
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self):
        # Kernel builds run niced (HZ_NICE, read by build-kernel.sh) so
        # the guest of the lane under test keeps its CPU.
        os.environ["HZ_NICE"] = "1"
        for l in self.lanes:
            try:
                self.result[l["name"]] = lane_kernel(l)
            except (RuntimeError, subprocess.CalledProcessError) as e:
                self.result[l["name"]] = e
            self.done[l["name"]].set()

    def get(self, lane):
        self.done[lane["name"]].wait()
        r = self.result[lane["name"]]
        if isinstance(r, Exception):
            raise r
        return r


def run_lane(lane, plant=None, steps=None, prefetch=None, pkg=None):
    t0 = time.time()
    os.makedirs(os.path.join(OUT, lane["name"]), exist_ok=True)
    kern = prefetch.get(lane) if prefetch else lane_kernel(lane)
    tb = time.time()
    # HZ_MODULES=upstream runs the same guest steps on the in-tree zram:
    # the comparison anchor, and a check of the steps themselves.
    modset = os.environ.get("HZ_MODULES", "hzram")
    bdir = build_module(lane, kern, plant) if modset == "hzram" else None
    if steps is None:
        steps = lane_steps(lane, kern)
        if modset != "hzram":
            steps = [s for s in steps if s != "10-kunit"]
    env = dict(HZ_MODULES=modset, HZ_LONG=os.environ.get("HZ_LONG", "0"))
    files = {}
    if bench_mode() == "bench":
        env.update((k, os.environ.get(k, v)) for k, v in BENCH_ENV.items())
        files["/bench/corpus.bin"] = bench_corpus()
        lane = dict(lane, mem=bench_mem(lane))
    if any(step_uses_pkg(s) for s in steps):
        env["HZ_PKG_WHY"] = pkg_stage(lane, kern, pkg, files)
    initrd = build_initramfs(lane, kern, bdir, steps, env, files)
    # check-all's long stress durations add about 15 minutes per lane, and
    # a KASAN lane next to other lanes on 2 cores ran out of twice the CI
    # budget (x86_64-6.12: 50 min, all steps passing but the last). A hang
    # still ends the lane, only later.
    # HZ_TIMEOUT_SCALE=2: more time where the machine is shared (other
    # guests, kernel builds); CI never sets it.
    tmo = TIMEOUTS[lane["arch"]] * (3 if os.environ.get("HZ_LONG") == "1"
                                    else 1) \
        * float(os.environ.get("HZ_TIMEOUT_SCALE", "1"))
    text, vtext, timed_out, elapsed = boot(lane, kern, initrd, tmo)
    res = judge(lane, text, vtext, timed_out, steps)
    res.update(name=lane["name"], boot_secs=elapsed,
               total_secs=time.time() - t0, kernel_secs=tb - t0)
    return res


def summary_line(r):
    kp, kf, ks = r["kunit"]
    sp, sf = r["steps"]
    s = "lane %-17s %s  kunit %d passed, %d failed, %d skipped; " \
        "guest steps %d passed, %d failed, %d skipped; guest %ds, " \
        "total %ds" % (r["name"], "PASS" if r["ok"] else "FAIL", kp, kf, ks,
                       sp, sf, r.get("skipped", 0), r["boot_secs"],
                       r["total_secs"])
    if not r["ok"]:
        s += "\n    " + "\n    ".join(r["reasons"][:6])
    return s


def cmd_check(args):
    t_start = time.time()
    lanes, order = read_lanes()
    if args.all:
        names = order
        os.environ["HZ_LONG"] = "1"
    else:
        names = args.lanes or [n for n in order if lanes[n]["ci"]]
    for n in names:
        if n not in lanes:
            sys.exit("unknown lane %s (see qemu/lanes)" % n)
    results = []
    # Guest userland first, so that a missing package fails the run
    # before any kernel is built.
    for arch in sorted({lanes[n]["arch"] for n in names}):
        userland(arch)
    if bench_mode() == "bench":
        bench_corpus()
    prefetch = KernelPrefetch([lanes[n] for n in names])
    pkg = PackageCheck() if package_wanted(names, lanes) and \
        os.environ.get("HZ_PACKAGE", "1") == "1" else None

    def one(n):
        log("== lane %s" % n)
        try:
            r = run_lane(lanes[n], prefetch=prefetch, pkg=pkg)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            r = dict(name=n, ok=False, reasons=["setup: %s" % e],
                     steps=(0, 1), kunit=(0, 0, 0), boot_secs=0,
                     total_secs=0)
        log(summary_line(r))
        if not r["ok"]:
            con = os.path.join(OUT, n, "console.log")
            if os.path.exists(con):
                log("---- last console lines (%s)" % con)
                log("".join(open(con, errors="replace")
                            .readlines()[-40:]))
        return r

    # make bench runs its lanes side by side (HZ_BENCH_JOBS, default 2):
    # each guest's workload is one thread, so two guests share the two
    # host cores about as well as one, and the two stock lanes fit the
    # time budget. Comparisons stay within one guest, so the guests'
    # contention for the host affects both drivers alike.
    jobs = int(os.environ.get("HZ_BENCH_JOBS", "2")) \
        if bench_mode() == "bench" else 1
    if jobs > 1 and len(names) > 1:
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            results = list(ex.map(one, names))
    else:
        results = [one(n) for n in names]
    if bench_mode() == "bench":
        bench_report(names)
    log("== summary")
    tp = tf = 0
    for r in results:
        log(summary_line(r).split("\n")[0])
        for ln in r.get("oops", []):
            log("    " + ln)
        kp, kf, _ = r["kunit"]
        sp, sf = r["steps"]
        tp += kp + sp
        tf += kf + sf
        # A lane that failed with every counted test green (a splat, a
        # taint, a missing verdict) still counts as one failure.
        if not r["ok"] and kf + sf == 0:
            tf += 1
    nfail = sum(1 for r in results if not r["ok"])
    if pkg:
        pkg.done.wait()
        log("check-package %s, %ds (%s)" % ("PASS" if pkg.ok else "FAIL",
                                           pkg.secs, pkg.log))
        if not pkg.ok:
            log("    " + pkg.line)
            nfail += 1
            tf += 1
    log("wall time: %ds" % (time.time() - t_start))
    log("lanes: %d passed, %d failed" % (len(results) - nfail, nfail))
    log("%d passed, %d failed" % (tp, tf))
    return 1 if nfail else 0


# check-harness: each planted bug must turn its lane red, for the reason
# the plant targets; the unplanted build of the same lane must pass the
# same steps, so the red comes from the plant and nothing else.
SELFTEST = [
    # (name, lane, plant, HZ_MODULES, steps, console/reason pattern)
    ("baseline", "x86_64-6.12", None, "hzram", ["00-env", "10-kunit"], None),
    ("warn", "x86_64-6.12", "warn", "hzram", ["00-env", "10-kunit"],
     r"WARNING:"),
    ("kasan", "x86_64-6.12", "kasan", "hzram", ["00-env", "10-kunit"],
     r"KASAN"),
    # The guest's kmemleak post-check must fail a lane on a module's leak
    # (it clears boot-time reports first, so it could go blind to ours).
    ("leak", "x86_64-6.12", "leak", "hzram", ["00-env", "10-kunit"],
     r"kmemleak unreferenced=[1-9]"),
    ("kunit", "x86_64-6.12", "kunit", "hzram", ["00-env", "10-kunit"],
     r"kunit hzram_harness_plant\.hz_plant_failing_case failed"),
    # Upstream zram oopses on the arm32 lockdep kernel (static per-CPU
    # lock in a module): a real-world positive control.
    ("upstream-arm", "arm-6.12", None, "upstream", ["00-env", "30-ext4"],
     r"Unable to handle kernel|Oops|BUG:"),
]


def cmd_selftest(args):
    lanes, _ = read_lanes()
    bad = 0
    for name, lname, plant, modset, steps, pat in SELFTEST:
        if args.only and name not in args.only:
            continue
        lane = lanes[lname]
        log("== harness self-test %s (%s)" % (name, lname))
        os.environ["HZ_MODULES"] = modset
        try:
            r = run_lane(lane, plant=plant, steps=steps)
        finally:
            os.environ.pop("HZ_MODULES", None)
        why = "; ".join(r["reasons"]) or "-"
        if pat is None:
            good = r["ok"]
            log("  %s: lane %s (expected PASS) %s" % (
                name, "PASS" if r["ok"] else "FAIL", why))
        else:
            text = open(os.path.join(OUT, lname, "console.log"),
                        errors="replace").read()
            hit = re.search(pat, why) or re.search(pat, text)
            good = not r["ok"] and bool(hit)
            log("  %s: lane %s (expected FAIL matching /%s/): %s" % (
                name, "PASS" if r["ok"] else "FAIL", pat, why))
        log("  self-test %s: %s" % (name, "ok" if good else "NOT OK"))
        bad += not good
    n = len([t for t in SELFTEST if not args.only or t[0] in args.only])
    log("%d passed, %d failed" % (n - bad, bad))
    return 1 if bad else 0


def cmd_demo(args):
    """The demo tells its story: tests/guest/demo.sh prints it as
    "HZ-DEMO " lines, shown here live without the prefix (and a step's
    FAIL: line as it is). The whole console, kernel log included, stays in
    the lane's console.log, named at the end; the verdict is judge()'s,
    as for any lane."""
    lanes, _ = read_lanes()
    lane = dict(lanes[args.lane])
    log("demo: preparing the %s kernel, module and guest" % lane["name"])
    kern = lane_kernel(lane)
    bdir = build_module(lane, kern)
    initrd = build_initramfs(lane, kern, bdir, ["demo"])
    log("demo: booting it in QEMU (TCG; a minute or two)\n")
    text, vtext, timed_out, _ = boot(lane, kern, initrd,
                                     TIMEOUTS[lane["arch"]],
                                     echo="HZ-DEMO ")
    res = judge(lane, text, vtext, timed_out, ["demo"])
    con = os.path.relpath(os.path.join(OUT, lane["name"], "console.log"))
    log("")
    if res["ok"]:
        log("demo: PASS (kernel log: %s)" % con)
        return 0
    log("---- last console lines")
    log("".join(text.splitlines(True)[-20:]))
    log("demo: FAIL: %s (kernel log: %s)" % ("; ".join(res["reasons"]), con))
    return 1


def cmd_shell(args):
    lanes, _ = read_lanes()
    lane = lanes[args.lane]
    kern = lane_kernel(lane)
    bdir = build_module(lane, kern)
    initrd = build_initramfs(lane, kern, bdir, [])
    ldir = os.path.join(OUT, lane["name"])
    cmd = qemu_cmd(lane, kern, initrd, os.path.join(ldir, "verdict.txt"),
                   None, interactive=True)
    log(" ".join(cmd))
    return subprocess.call(cmd)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--all", action="store_true",
                   help="every lane, with the long stress durations")
    c.add_argument("lanes", nargs="*")
    d = sub.add_parser("demo")
    d.add_argument("--lane", default="stock-6.12")
    s = sub.add_parser("shell")
    s.add_argument("lane")
    st = sub.add_parser("selftest")
    st.add_argument("only", nargs="*")
    ls = sub.add_parser("lanes")
    ls.add_argument("--ci", action="store_true")
    args = ap.parse_args()
    if args.cmd == "check":
        return cmd_check(args)
    if args.cmd == "demo":
        return cmd_demo(args)
    if args.cmd == "shell":
        return cmd_shell(args)
    if args.cmd == "selftest":
        return cmd_selftest(args)
    lanes, order = read_lanes()
    for n in order:
        if lanes[n]["ci"] or not args.ci:
            print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
