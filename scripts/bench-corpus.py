#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build make bench's corpus: 64 MiB of what a Debian machine's memory
holds, made deterministically from this machine's own files.

  bench-corpus.py OUT.bin      write the corpus (and OUT.manifest)

Composition (by bytes; see Documentation/testing.rst):

  30%  shared libraries     /usr/lib/<triplet>, /lib/<triplet>: *.so*
  20%  executables          /usr/bin, /usr/sbin (ELF files)
  20%  text                 /usr/lib/python3*, /usr/share/perl*, /usr/include
  10%  man pages            /usr/share/man (gzip'd troff, decompressed)
  15%  already compressed   *.gz, *.xz, *.png, *.jpg as they are on disk
   5%  zero pages           (free-but-dirtied memory is common in practice)

Files are taken in the order of the sha256 of their path (so each class
is a spread over many packages, not the first directory alphabetically),
cut into 64 KiB chunks, and the classes are interleaved chunk by chunk in
proportion. The same installed files give the same corpus, byte for byte;
the sha256 printed (and kept in the manifest) names it. It depends on what
is installed, so compare only runs with the same corpus hash.
"""
import gzip
import hashlib
import os
import sys

SIZE = 64 << 20
CHUNK = 64 << 10
TRIPLET = "x86_64-linux-gnu"

ELF = b"\x7fELF"


def walk(roots, want):
    """Regular files under roots for which want(path) is true, in the
    order of sha256(path)."""
    found = []
    for r in roots:
        for d, dirs, files in os.walk(r):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                if want(p):
                    found.append(p)
    return sorted(set(found), key=lambda p: hashlib.sha256(p.encode())
                  .hexdigest())


def is_elf(p):
    try:
        with open(p, "rb") as f:
            return f.read(4) == ELF
    except OSError:
        return False


def read_plain(p):
    with open(p, "rb") as f:
        return f.read()


def read_gunzip(p):
    try:
        return gzip.decompress(read_plain(p))
    except (OSError, EOFError):
        return b""


CLASSES = [
    # name, share (percent), roots, selector, reader
    ("libraries", 30, ["/usr/lib/" + TRIPLET, "/lib/" + TRIPLET],
     lambda p: ".so" in os.path.basename(p) and is_elf(p), read_plain),
    ("executables", 20, ["/usr/bin", "/usr/sbin"], is_elf, read_plain),
    ("text", 20, ["/usr/lib/python3", "/usr/lib/python3.11",
                  "/usr/share/perl", "/usr/share/perl5", "/usr/include"],
     lambda p: p.endswith((".py", ".pm", ".pl", ".h")), read_plain),
    ("manpages", 10, ["/usr/share/man"], lambda p: p.endswith(".gz"),
     read_gunzip),
    ("compressed", 15, ["/usr/share/doc", "/usr/share/man", "/usr/share/icons",
                        "/usr/share/pixmaps", "/usr/share"],
     lambda p: p.endswith((".gz", ".xz", ".png", ".jpg", ".bz2")),
     read_plain),
    ("zero", 5, [], None, None),
]


def quota(share):
    """A class's bytes: its share of SIZE in whole chunks. The shares add
    up to 100 and SIZE is 1024 chunks, so the rounding loses at most a
    chunk or two, which the largest class makes up (see build())."""
    return SIZE // CHUNK * share // 100 * CHUNK


def quotas():
    q = {c[0]: quota(c[1]) for c in CLASSES}
    q[CLASSES[0][0]] += SIZE - sum(q.values())
    return q


def class_stream(name, quota, roots, want, reader, manifest):
    """Yield CHUNK-sized pieces of the class, quota bytes in all."""
    if want is None:
        while quota > 0:
            yield bytes(CHUNK)
            quota -= CHUNK
        return
    buf = b""
    for p in walk(roots, want):
        data = reader(p)
        if not data:
            continue
        take = data[:quota - len(buf)]
        manifest.append("%s %d %s" % (name, len(take), p))
        buf += take
        while len(buf) >= CHUNK:
            yield buf[:CHUNK]
            buf = buf[CHUNK:]
            quota -= CHUNK
        if quota - len(buf) <= 0:
            break
    if quota > 0:
        sys.exit("bench-corpus: not enough %s files on this machine "
                 "(%d bytes short)" % (name, quota - len(buf)))


def build(out):
    manifest = []
    q = quotas()
    streams = [(c[0], q[c[0]], class_stream(c[0], q[c[0]], *c[2:],
                                            manifest)) for c in CLASSES]
    emitted = {c[0]: 0 for c in CLASSES}
    h = hashlib.sha256()
    total = 0
    with open(out + ".tmp", "wb") as f:
        while total < SIZE:
            # The class furthest behind its share goes next.
            name, _, it = min(
                (s for s in streams if emitted[s[0]] < s[1]),
                key=lambda s: (emitted[s[0]] / s[1], s[0]))
            chunk = next(it)
            f.write(chunk)
            h.update(chunk)
            emitted[name] += len(chunk)
            total += len(chunk)
    os.replace(out + ".tmp", out)
    digest = h.hexdigest()
    with open(os.path.splitext(out)[0] + ".manifest", "w") as f:
        f.write("sha256 %s\nbytes %d\n" % (digest, total))
        for c in CLASSES:
            f.write("class %s %d%% %d bytes\n" % (c[0], c[1], emitted[c[0]]))
        f.write("\n".join(manifest) + "\n")
    return digest, total, emitted


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench-corpus.py OUT.bin")
    digest, total, emitted = build(sys.argv[1])
    print("corpus %s: %d bytes (%d MiB), sha256 %s" % (
        sys.argv[1], total, total >> 20, digest))
    print("corpus classes: " + ", ".join(
        "%s %d MiB" % (k, v >> 20) for k, v in emitted.items()))


if __name__ == "__main__":
    main()
