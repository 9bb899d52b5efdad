#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report: hzram against the kernel's own zram, from the
"HZB" lines the guest step 95-bench-zram printed on each lane's console.

  bench-report.py [--readme] LANE...

Reads out/LANE/console.log and out/bench/corpus.manifest; writes, per lane,
under out/bench/LANE/:

  rounds.csv    one row per measurement (every mm_stat field, the meminfo
                counters before/after, zbench's own figures)
  summary.csv   per test, algorithm, metric and driver: median, min, max,
                rounds, and the hzram/upstream ratio of the medians
  summary.txt   the same as a plain-text table
  memory.png, throughput.png, swap.png, writeback.png, recomp.png

and out/bench/summary.txt for all lanes. --readme also rewrites README.md
between <!-- bench:begin --> and <!-- bench:end --> and copies the first
lane's memory plot to Documentation/bench/.

Needs Debian's python3-matplotlib (hence /usr/bin/python3); without it the
tables and CSVs are still written and the plots are skipped with a note.
It never judges a number: exit status 1 means only that there was nothing
to report.
"""
import csv
import datetime
import os
import re
import shutil
import statistics
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.environ.get("HZRAM_OUT", os.path.join(TOP, "out"))
BENCH = os.path.join(OUT, "bench")
DRIVERS = ("hzram", "upstream")
COLOURS = {"hzram": "#1f77b4", "upstream": "#ff7f0e"}

MM_NAMES = ["orig_data_size", "compr_data_size", "mem_used_total",
            "mem_limit", "mem_used_max", "same_pages", "pages_compacted",
            "huge_pages", "huge_pages_since"]


def parse_console(lane):
    """(meta dict, [record dict]) from a lane's console log."""
    path = os.path.join(OUT, lane, "console.log")
    meta, recs = {}, []
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("HZB-META "):
                meta.update(kv.split("=", 1) for kv in line.split()[1:]
                            if "=" in kv)
            elif line.startswith("HZB "):
                recs.append(dict(kv.split("=", 1) for kv in line.split()[1:]
                                 if "=" in kv))
    return meta, recs


def num(r, k):
    return float(r[k])


def test_key(r):
    """The test a record belongs to: io-64M-1M, io-64M-4K, io-1024M-1M,
    swap, swap-global, wb-64M-VARIANT (VARIANT one of hzram's
    writeback settings, or upstream), or recomp-64M."""
    if r["test"] in ("swap", "swap-global"):
        return r["test"]
    if r["test"] == "recomp":
        return "recomp-%sM" % r["mib"]
    if r["test"] == "wb":
        return "wb-%sM-%s" % (r["mib"], r["variant"])
    bs = int(r["bs"])
    return "io-%sM-%s" % (r["mib"], "%dM" % (bs >> 20) if bs >= 1 << 20
                          else "%dK" % (bs >> 10))


def algo_key(r):
    """The algorithm column: the algorithm, or PRIMARY>SECONDARY for the
    recompression test's state after `recompress`."""
    if r["test"] == "recomp" and r.get("stage") == "recomp":
        return "%s>%s" % (r["algo"], r["recomp"])
    return r["algo"]


def derive(r, page_size):
    """The reported metrics of one record: {metric: value}."""
    m = {}
    if r["test"] == "io":
        pages = num(r, "bytes") / page_size
        m["write MiB/s"] = num(r, "write_mibs")
        m["read MiB/s"] = num(r, "read_mibs")
        # Data pages only, for both: hzram's mem_used_total (mm2) also
        # counts its allocator's metadata, which is in Slab below.
        pool = (num(r, "hzs_pages") * page_size if "hzs_pages" in r
                else num(r, "mm2"))
        m["pool B/page"] = pool / pages
        # Metadata outside the pool: the slot table and anything else
        # vmalloc'ed, slab objects (handles, descriptors), compression
        # buffers; both counters are exact.
        m["slab+vmalloc B/page"] = (
            num(r, "a_Slab") - num(r, "b_Slab") + num(r, "a_VmallocUsed")
            - num(r, "b_VmallocUsed")) * 1024 / pages
        m["total B/page"] = m["pool B/page"] + m["slab+vmalloc B/page"]
        # The same question asked of MemFree: catches pages taken outside
        # the pool and slab/vmalloc, but moves by tens of MiB for reasons
        # of its own in these guests, so it is a cross-check only.
        m["MemFree drop B/page"] = (num(r, "b_MemFree") -
                                    num(r, "a_MemFree")) * 1024 / pages
        m["packing"] = num(r, "mm1") / max(pool, 1)
        # Issue #16's measures: what a driver takes beyond the compressed
        # bytes themselves (slot table, allocator metadata, packing loss;
        # the same compressor stores the same bytes in both), and the
        # compressed bytes over everything, metadata included.
        total = m["total B/page"] * pages
        m["overhead B/page"] = (total - num(r, "mm1")) / pages
        m["packing, all"] = num(r, "mm1") / max(total, 1)
    elif r["test"] == "wb":
        # Pages written back (bd_writes, 4K units) over the time of the
        # one write to `writeback`; read-back is the whole device after
        # it, O_DIRECT, 1 MiB blocks.
        m["writeback MiB/s"] = num(r, "wb_mibs")
        m["read-back MiB/s"] = num(r, "read_mibs")
        m["write MiB/s"] = num(r, "write_mibs")
        m["pages written back"] = num(r, "wb_pages4k") * 4096 / page_size
        # Backing reads per page written back, over the read-back.
        m["bd_reads per page"] = num(r, "bd_reads") / max(
            num(r, "wb_pages4k"), 1)
    elif r["test"] == "recomp":
        # mm_stat after the write (primary) or after `recompress`; the
        # time is the write of the stream, or the one write of
        # "type=idle" to recompress.
        m["orig/compr"] = num(r, "mm0") / max(num(r, "mm1"), 1)
        m["compr bytes"] = num(r, "mm1")
        m["mem_used bytes"] = num(r, "mm2")
        m["time s"] = num(r, "recomp_ns" if r["stage"] == "recomp"
                          else "write_ns") / 1e9
    else:
        m["swapped pages/s"] = num(r, "swapped_per_s")
        m["swap-in p50 us"] = num(r, "swapin_p50_ns") / 1000
        m["swap-in p99 us"] = num(r, "swapin_p99_ns") / 1000
        m["swap-ins timed"] = num(r, "swapin_samples")
    if r["test"] == "swap-global":
        # Global reclaim: the shrinker ran if pages_compacted grew (the
        # device is fresh and nothing writes `compact` meanwhile).
        m["swap-in p99.9 us"] = num(r, "swapin_p999_ns") / 1000
        m["pages compacted"] = num(r, "mm6")
        m["pool max MiB"] = num(r, "mm4") / 1048576
        m["direct reclaims"] = num(r, "allocstall")
        if num(r, "shrink_calls") >= 0:
            m["shrinker calls"] = num(r, "shrink_calls")
            m["shrinker freed"] = num(r, "shrink_freed")
    return m


# What the summary table shows, in order: (test, metric). The rest is in
# summary.csv.
TABLE = [
    ("io-64M-1M", "pool B/page"), ("io-64M-1M", "total B/page"),
    ("io-64M-1M", "overhead B/page"),
    ("io-64M-1M", "packing"), ("io-64M-1M", "packing, all"),
    ("io-64M-1M", "slab+vmalloc B/page"),
    ("io-1024M-1M", "pool B/page"), ("io-1024M-1M", "total B/page"),
    ("io-1024M-1M", "overhead B/page"),
    ("io-1024M-1M", "slab+vmalloc B/page"),
    ("io-1024M-1M", "MemFree drop B/page"), ("io-1024M-1M", "packing"),
    ("io-1024M-1M", "packing, all"),
    ("io-64M-1M", "write MiB/s"), ("io-64M-1M", "read MiB/s"),
    ("io-64M-4K", "write MiB/s"), ("io-64M-4K", "read MiB/s"),
    ("io-1024M-1M", "write MiB/s"), ("io-1024M-1M", "read MiB/s"),
    ("swap", "swapped pages/s"), ("swap", "swap-in p50 us"),
    ("swap", "swap-in p99 us"),
    ("swap-global", "swapped pages/s"), ("swap-global", "swap-in p50 us"),
    ("swap-global", "swap-in p99 us"), ("swap-global", "swap-in p99.9 us"),
    ("swap-global", "pages compacted"), ("swap-global", "shrinker calls"),
    ("swap-global", "shrinker freed"), ("swap-global", "direct reclaims"),
    ("swap-global", "pool max MiB"),
]
# The writeback rows, per hzram variant (wb_rows() below).
WB_METRICS = ["writeback MiB/s", "read-back MiB/s", "pages written back"]
# hzram's writeback settings, as 95-bench-zram names them.
WB_LABELS = {"b1": "batch 1", "b32": "batch 32",
             "cwb": "compressed, batch 32"}


def wb_variants(meta, recs):
    """hzram's writeback variants of a lane, in the step's order."""
    seen = {r["variant"] for r in recs
            if r["test"] == "wb" and r["drv"] == "hzram"}
    order = [v for v in meta.get("wb_variants", "").split(",") if v in seen]
    return order + sorted(seen - set(order))


def wb_rows(meta, recs):
    """(test, metric) of the writeback rows, batch 32 (the default) last:
    wb-64M-b1 ... for each variant."""
    return [("wb-%sM-%s" % (meta.get("wb_mib", "16"), v), metric)
            for v in wb_variants(meta, recs) for metric in WB_METRICS]


def summarise(recs, page_size):
    """{(test, algo, metric): {drv: {round: value}}}

    Upstream's writeback has no variants: its one measurement of a round
    is the other half of every hzram variant's pair."""
    s = {}
    variants = {r["variant"] for r in recs
                if r["test"] == "wb" and r["drv"] == "hzram"}
    for r in recs:
        keys = [test_key(r)]
        if r["test"] == "wb" and r["drv"] == "upstream":
            keys = [test_key(dict(r, variant=v)) for v in variants]
        for metric, v in derive(r, page_size).items():
            for k in keys:
                s.setdefault((k, algo_key(r), metric), {}) \
                 .setdefault(r["drv"], {})[r["round"]] = v
    recomp_bound(s)
    return s


RC_METRICS = ["orig/compr", "compr bytes", "mem_used bytes", "time s"]


def recomp_bound(s):
    """For each recompression A>B: compr_data_size of A and of A>B over
    that of B as primary, per driver and round (same driver, same
    round): how close recompression gets to storing with B."""
    for test, st, metric in list(s):
        if metric != "compr bytes" or ">" not in st:
            continue
        a, b = st.split(">", 1)
        bound = s.get((test, b, metric), {})
        for stage in (a, st):
            for drv, by in s.get((test, stage, metric), {}).items():
                for rnd, v in by.items():
                    if bound.get(drv, {}).get(rnd):
                        s.setdefault((test, stage, "compr / %s primary" % b),
                                     {}).setdefault(drv, {})[rnd] = \
                            v / bound[drv][rnd]


def recomp_stages(meta, s):
    """(test, [stage]) of the recompression test: PRIMARY,
    PRIMARY>SECONDARY, SECONDARY; or None."""
    test = "recomp-%sM" % meta.get("recomp_mib", meta.get("mib", "64"))
    algos = [a for a in meta.get("recomp_algos", "").split(",") if a]
    stages = algos[:1] + (["%s>%s" % tuple(algos[:2]), algos[1]]
                          if len(algos) > 1 else [])
    stages = [st for st in stages if s.get((test, st, "compr bytes"))]
    return (test, stages) if stages else None


def recomp_table(meta, s, extras):
    """summary.txt's recompression section."""
    rc = recomp_stages(meta, s)
    if not rc:
        return []
    test, stages = rc
    algos = meta.get("recomp_algos", "").split(",")
    lines = ["", "recompression, %s: the stream stored with %s as primary "
             "(time: its write), then `echo all > idle; printf type=idle > "
             "recompress` to %s (time: that one write), read back and "
             "verified; and stored with %s as primary (time: its write)" % (
                 test, algos[0], "/".join(algos[1:2]) or "-",
                 "/".join(algos[1:2]) or "-"),
             "orig/compr = orig_data_size/compr_data_size (ratio above 1: "
             "hzram better); bytes, time, compr / X primary (the same "
             "driver and round): below 1 is hzram better; the ratio "
             "column pairs the same stage only",
             ("%-10s %-20s %-32s %-32s %-22s" % (
                 "stage", "metric", "hzram", "upstream", "ratio")
              + "".join(" %-32s %-22s" % (x, x + "/upstream")
                        for x in extras)).rstrip()]
    for st in stages:
        metrics = RC_METRICS + sorted(
            m for (t, a, m) in s if t == test and a == st
            and m not in RC_METRICS)
        for metric in metrics:
            by = s.get((test, st, metric))
            if not by:
                continue
            cells = []
            for drv in DRIVERS + tuple(extras):
                if drv in by:
                    md, lo, hi = stats(by[drv])
                    cells.append("%s [%s-%s]" % (fmt(md), fmt(lo), fmt(hi)))
                elif drv == "upstream" and ">" in st and \
                        meta.get("recomp_upstream") == "0":
                    cells.append("cannot recompress")
                else:
                    cells.append("-")
            ratios = []
            for drv in ("hzram",) + tuple(extras):
                r = ratio_of(by, drv)
                ratios.append("-" if r is None else "%.3f [%.3f-%.3f]" % r)
            line = "%-10s %-20s %-32s %-32s %-22s" % (
                st, metric, cells[0], cells[1], ratios[0])
            for cell, ratio in zip(cells[2:], ratios[1:]):
                line += " %-32s %-22s" % (cell, ratio)
            lines.append(line.rstrip())
    if meta.get("recomp_upstream") == "0":
        lines.append("upstream cannot recompress on %s: no recomp_algorithm "
                     "(CONFIG_ZRAM_MULTI_COMP off); "
                     "its %s-primary row is the bound recompression "
                     "approaches" % (meta.get("kernel", "this kernel"),
                                     "/".join(algos[1:2]) or "?"))
    return lines


def stats(by_round):
    vals = list(by_round.values())
    return statistics.median(vals), min(vals), max(vals)


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3f" % v


def algos_of(recs, meta):
    order = meta.get("algos", "").split(",")
    seen = {r["algo"] for r in recs}
    return [a for a in order if a in seen] + sorted(seen - set(order))


def write_lane(lane, meta, recs, corpus):
    d = os.path.join(BENCH, lane)
    os.makedirs(d, exist_ok=True)
    page_size = int(meta.get("page_size", 4096))

    keys = []
    for r in recs:
        for k in r:
            if k not in keys:
                keys.append(k)
    with open(os.path.join(d, "rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lane", "test"] + [
            MM_NAMES[int(k[2:])] if re.fullmatch(r"mm\d", k) else k
            for k in keys])
        for r in recs:
            w.writerow([lane, test_key(r)] + [r.get(k, "") for k in keys])

    s = summarise(recs, page_size)
    algos = algos_of(recs, meta)
    # Other zram.ko builds measured beside them (HZ_BENCH_EXTRA).
    extras = sorted({r["drv"] for r in recs} - set(DRIVERS))
    with open(os.path.join(d, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lane", "test", "algo", "metric", "driver", "median",
                    "min", "max", "rounds", "ratio_hzram_upstream",
                    "ratio_min", "ratio_max"])
        for (test, algo, metric), by in sorted(s.items()):
            ratio = ratio_of(by)
            rc = ["", "", ""] if ratio is None else \
                ["%.4f" % x for x in ratio]
            for drv in DRIVERS + tuple(extras):
                if drv in by:
                    md, lo, hi = stats(by[drv])
                    w.writerow([lane, test, algo, metric, drv, "%.6g" % md,
                                "%.6g" % lo, "%.6g" % hi, len(by[drv])] + rc)

    lines = ["%s: %s, corpus sha256 %s (%s bytes), %s rounds per driver, "
             "interleaved" % (lane, meta.get("kernel", "?"),
                              corpus.get("sha256", "?")[:16],
                              corpus.get("bytes", "?"),
                              meta.get("rounds", "?")),
             "median [min-max] over the rounds; ratio = hzram/upstream of "
             "each round's back-to-back pair, median [min-max]",
             "(memory, latency: below 1 is hzram better; MiB/s, pages/s: "
             "above 1 is hzram better)",
             ("%-7s %-12s %-20s %-24s %-24s %-22s" % (
                 "algo", "test", "metric", "hzram", "upstream", "ratio")
              + "".join(" %-24s %-22s" % (x, x + "/upstream")
                        for x in extras)).rstrip()]
    for algo in algos:
        for test, metric in TABLE + wb_rows(meta, recs):
            by = s.get((test, algo, metric))
            if not by:
                continue
            cells = []
            for drv in DRIVERS:
                if drv in by:
                    md, lo, hi = stats(by[drv])
                    cells.append("%s [%s-%s]" % (fmt(md), fmt(lo), fmt(hi)))
                else:
                    cells.append("-")
            ratio = ratio_of(by)
            line = "%-7s %-12s %-20s %-24s %-24s %-22s" % (
                algo, test, metric, cells[0], cells[1],
                "-" if ratio is None else "%.3f [%.3f-%.3f]" % ratio)
            for x in extras:
                if x in by:
                    md, lo, hi = stats(by[x])
                    cell = "%s [%s-%s]" % (fmt(md), fmt(lo), fmt(hi))
                else:
                    cell = "-"
                ratio = ratio_of(by, x)
                line += " %-24s %-22s" % (
                    cell, "-" if ratio is None else "%.3f [%.3f-%.3f]" % ratio)
            lines.append(line.rstrip())
    if wb_variants(meta, recs):
        lines.append("wb-%sM-V: the stream stored, all marked idle, "
                     "`idle > writeback` to a loop device on tmpfs, then "
                     "the device read back (O_DIRECT, 1 MiB blocks); V is "
                     "hzram's setting (%s); upstream's one measurement a "
                     "round is in every V's row" % (
                         meta.get("wb_mib", "?"), ", ".join(
                             "%s: %s" % (v, WB_LABELS.get(v, v))
                             for v in wb_variants(meta, recs))))
    lines += recomp_table(meta, s, extras)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(d, "summary.txt"), "w") as f:
        f.write(text)
    return s, algos, text


def ratio_of(by, drv="hzram"):
    """drv/upstream, round by round (the measurements of a round ran
    back to back): (median, min, max), or None."""
    if not by.get(drv) or not by.get("upstream"):
        return None
    rs = [by[drv][r] / by["upstream"][r] for r in by[drv]
          if by["upstream"].get(r)]
    if not rs:
        return None
    return statistics.median(rs), min(rs), max(rs)


def bar_panel(ax, s, algos, test, metric, title):
    """Grouped bars: per algorithm, hzram next to upstream, error bars
    from the min-max spread."""
    width = 0.38
    # Only the algorithms this test ran (the 1 GiB test runs fewer).
    algos = [a for a in algos if s.get((test, a, metric))]
    for i, drv in enumerate(DRIVERS):
        xs, ys, lo, hi = [], [], [], []
        for j, algo in enumerate(algos):
            vals = s.get((test, algo, metric), {}).get(drv)
            if not vals:
                continue
            md, mn, mx = stats(vals)
            xs.append(j + (i - 0.5) * width)
            ys.append(md)
            lo.append(md - mn)
            hi.append(mx - md)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=3, label=drv,
               color=COLOURS[drv])
    ax.set_xticks(range(len(algos)))
    ax.set_xticklabels(algos)
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", alpha=0.3)


def wb_panel(ax, s, meta, variants, metric, title):
    """Per algorithm: upstream, then each hzram variant; bars at the
    median, error bars from the min-max spread."""
    mib = meta.get("wb_mib", "16")
    algos = [a for a in meta.get("wb_algos", "").split(",")
             if any(s.get(("wb-%sM-%s" % (mib, v), a, metric))
                    for v in variants)]
    series = [("upstream", "upstream", COLOURS["upstream"])] + [
        (v, "hzram " + WB_LABELS.get(v, v), shade)
        for v, shade in zip(variants, ["#aec7e8", "#6baed6", "#1f77b4",
                                       "#08519c"] * 4)]
    width = 0.8 / len(series)
    for i, (v, label, colour) in enumerate(series):
        xs, ys, lo, hi = [], [], [], []
        for j, algo in enumerate(algos):
            key = ("wb-%sM-%s" % (mib, variants[0] if v == "upstream"
                                  else v), algo, metric)
            vals = s.get(key, {}).get("upstream" if v == "upstream"
                                      else "hzram")
            if not vals:
                continue
            md, mn, mx = stats(vals)
            xs.append(j + (i - (len(series) - 1) / 2) * width)
            ys.append(md)
            lo.append(md - mn)
            hi.append(mx - md)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=3, label=label,
               color=colour)
    ax.set_xticks(range(len(algos)))
    ax.set_xticklabels(algos)
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", alpha=0.3)


def plots(lane, meta, s, algos, corpus, variants=()):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench-report: no matplotlib (apt-get install "
              "python3-matplotlib); plots skipped")
        return []
    d = os.path.join(BENCH, lane)
    sub = "%s, %s, corpus %s, median of %s rounds, bars min-max" % (
        lane, meta.get("kernel", "?"), corpus.get("sha256", "?")[:12],
        meta.get("rounds", "?"))
    big = meta.get("big_mib", "1024")
    specs = {
        "memory.png": [
            ("io-64M-1M", "pool B/page", "pool (mem_used_total) B per page, 64 MiB"),
            ("io-64M-1M", "slab+vmalloc B/page",
             "metadata (slab+vmalloc) B per page, 64 MiB"),
            ("io-64M-1M", "total B/page",
             "total (pool+slab+vmalloc) B per page, 64 MiB"),
            ("io-%sM-1M" % big, "total B/page",
             "total (pool+slab+vmalloc) B per page, %s MiB" % big),
            ("io-64M-1M", "packing", "packing compr_data_size/mem_used_total"),
        ],
        "throughput.png": [
            ("io-64M-1M", "write MiB/s", "O_DIRECT write, 1 MiB blocks, MiB/s"),
            ("io-64M-1M", "read MiB/s", "O_DIRECT read, 1 MiB blocks, MiB/s"),
            ("io-64M-4K", "write MiB/s", "O_DIRECT write, 4 KiB blocks, MiB/s"),
            ("io-64M-4K", "read MiB/s", "O_DIRECT read, 4 KiB blocks, MiB/s"),
        ],
        "swap.png": [
            ("swap", "swapped pages/s", "pages swapped in+out per second"),
            ("swap", "swap-in p50 us", "swap-in latency p50, us"),
            ("swap", "swap-in p99 us", "swap-in latency p99, us"),
        ],
    }
    made = []
    for name, panels in specs.items():
        fig, axes = plt.subplots(1, len(panels),
                                 figsize=(3.4 * len(panels), 3.4))
        for ax, (test, metric, title) in zip(axes, panels):
            bar_panel(ax, s, algos, test, metric, title)
        axes[0].legend(fontsize=8)
        fig.suptitle("hzram vs in-kernel zram: " + sub, fontsize=9)
        fig.tight_layout()
        path = os.path.join(d, name)
        fig.savefig(path, dpi=90)
        plt.close(fig)
        made.append(path)
    if variants:
        mib = meta.get("wb_mib", "16")
        fig, axes = plt.subplots(1, 2, figsize=(4.6 * 2, 3.6))
        wb_panel(axes[0], s, meta, variants, "writeback MiB/s",
                 "idle > writeback, %s MiB, MiB/s written back" % mib)
        wb_panel(axes[1], s, meta, variants, "read-back MiB/s",
                 "O_DIRECT read of the device after it, MiB/s")
        # One legend under both panels: inside, it would hide the bars.
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(labels),
                   fontsize=8)
        fig.suptitle("writeback to a loop device on tmpfs: " + sub,
                     fontsize=9)
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        path = os.path.join(d, "writeback.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        made.append(path)
    rc = recomp_stages(meta, s)
    if rc:
        test, stages = rc
        panels = [("orig/compr", "orig_data_size/compr_data_size"),
                  ("mem_used bytes", "mem_used_total, bytes"),
                  ("time s", "time: write, or the recompress write, s")]
        fig, axes = plt.subplots(1, len(panels),
                                 figsize=(3.8 * len(panels), 3.4))
        for ax, (metric, title) in zip(axes, panels):
            bar_panel(ax, s, stages, test, metric, title)
        axes[0].legend(fontsize=8)
        fig.suptitle("%s, A>B: stored with A, recompressed to B: %s" % (
            test, sub), fontsize=9)
        fig.tight_layout()
        path = os.path.join(d, "recomp.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        made.append(path)
    return made


def read_manifest():
    c = {}
    p = os.path.join(BENCH, "corpus.manifest")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    c[parts[0]] = parts[1]
                if line.startswith("class "):
                    c.setdefault("classes", []).append(
                        "%s %s" % (parts[1], parts[2]))
    return c


def headline(lane, s):
    """The figures of the README note: hzram/upstream for lz4 and zstd."""
    rows = []
    for algo in ("lz4", "zstd"):
        cells = []
        for test, metric in [
                ("io-64M-1M", "total B/page"), ("io-1024M-1M", "total B/page"),
                ("io-64M-1M", "overhead B/page"),
                ("io-1024M-1M", "overhead B/page"),
                ("io-64M-1M", "packing"),
                ("io-64M-1M", "write MiB/s"), ("io-64M-1M", "read MiB/s"),
                ("io-64M-4K", "write MiB/s"), ("io-64M-4K", "read MiB/s"),
                ("swap", "swap-in p50 us"), ("swap", "swap-in p99 us")]:
            r = ratio_of(s.get((test, algo, metric), {}))
            cells.append("-" if r is None else "%.2f (%.2f-%.2f)" % r)
        rows.append("| %s | %s | %s |" % (lane, algo, " | ".join(cells)))
    return rows


# The README's writeback columns: (variant, metric, heading).
WB_HEADLINE = [("b1", "writeback MiB/s", "writeback, batch 1"),
               ("b32", "writeback MiB/s", "writeback, batch 32"),
               ("cwb", "writeback MiB/s", "writeback, compressed"),
               ("b1", "read-back MiB/s", "read-back, batch 1"),
               ("b32", "read-back MiB/s", "read-back, batch 32"),
               ("cwb", "read-back MiB/s", "read-back, compressed")]


def wb_headline(lane, meta, s):
    """The README's writeback rows: hzram/upstream per variant."""
    rows = []
    mib = meta.get("wb_mib", "16")
    for algo in meta.get("wb_algos", "").split(","):
        cells = []
        for v, metric, _ in WB_HEADLINE:
            r = ratio_of(s.get(("wb-%sM-%s" % (mib, v), algo, metric), {}))
            # Two decimals would print a 60-fold gap as 0.02.
            f = "%.2f" if r is None or r[1] >= 0.1 else "%.3f"
            cells.append("-" if r is None else
                         ("%s (%s-%s)" % (f, f, f)) % r)
        if any(c != "-" for c in cells):
            rows.append("| %s | %s | %s |" % (lane, algo, " | ".join(cells)))
    return rows


def run_date(lanes):
    """When the run ended: the lanes' console logs' last write, in UTC."""
    t = max(os.path.getmtime(os.path.join(OUT, l, "console.log"))
            for l in lanes)
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
        .strftime("%Y-%m-%d %H:%M")


def update_readme(lanes, results, corpus):
    path = os.path.join(TOP, "README.md")
    with open(path) as f:
        text = f.read()
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    if begin not in text or end not in text:
        print("bench-report: README.md has no bench markers; not updated")
        return
    first = lanes[0]
    docdir = os.path.join(TOP, "Documentation", "bench")
    os.makedirs(docdir, exist_ok=True)
    src = os.path.join(BENCH, first, "memory.png")
    img = ""
    if os.path.exists(src):
        shutil.copy(src, os.path.join(docdir, "memory.png"))
        img = "![memory per stored page, %s](Documentation/bench/memory.png)\n\n" \
            % first
    kernels = ", ".join("%s (%s)" % (l, results[l][0].get("kernel", "?"))
                        for l in lanes)
    body = [begin, "### Benchmark: hzram against the in-kernel zram", "",
            "Written by `make bench` (`scripts/bench-report.py`); do not "
            "edit by hand.", "",
            "`make bench`, %s UTC: %s; corpus sha256 `%s` (%s bytes: %s)."
            % (run_date(lanes),
               kernels, corpus.get("sha256", "?"), corpus.get("bytes", "?"),
               ", ".join(corpus.get("classes", []))),
            "Each cell is hzram/upstream: the median (and min-max) over %s "
            "rounds of the ratio of two back-to-back measurements in the "
            "same guest (TCG on a shared host: only these same-run ratios "
            "mean anything). " % results[lanes[0]][0].get("rounds", "?") +
            "Memory: below 1 is hzram smaller; MiB/s: above 1 is hzram "
            "faster; latency: below 1 is hzram faster.",
            "",
            img.rstrip("\n"),
            "",
            "| lane | algo | total B/page 64 MiB | total B/page 1 GiB | "
            "overhead 64 MiB | overhead 1 GiB | "
            "packing | write 1M | read 1M | write 4K | read 4K | "
            "swap-in p50 | swap-in p99 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for l in lanes:
        body += headline(l, results[l][1])
    wb = [row for l in lanes for row in wb_headline(l, results[l][0],
                                                     results[l][1])]
    if wb:
        mibs = sorted({results[l][0].get("wb_mib", "?") for l in lanes})
        body += ["", "Writeback, the same way: %s MiB stored, all marked "
                 "idle, `echo idle > writeback` to a loop device on tmpfs "
                 "(MiB/s of pages written back), then all of it read back "
                 "with O_DIRECT in 1 MiB blocks and verified. Upstream (6.1 and 6.12) "
                 "writes one page at a time; hzram with "
                 "`writeback_batch_size` 1 and 32 (its default), and with "
                 "`compressed_writeback=1`. Above 1 is hzram faster."
                 % "/".join(mibs), "",
                 "| lane | algo | %s |" % " | ".join(
                     h for _, _, h in WB_HEADLINE),
                 "|---|---|%s" % ("---|" * len(WB_HEADLINE))] + wb
    body += ["", "Full tables: `out/bench/<lane>/summary.txt`; how to read "
             "them: Documentation/testing.rst, \"Benchmarks\".", "", end]
    a = text.index(begin)
    b = text.index(end) + len(end)
    text = text[:a] + "\n".join(body) + text[b:]
    with open(path, "w") as f:
        f.write(text)
    print("bench-report: README.md bench section and "
          "Documentation/bench/memory.png updated")


def main():
    args = sys.argv[1:]
    readme = "--readme" in args
    lanes = [a for a in args if not a.startswith("--")]
    corpus = read_manifest()
    results = {}
    alltext = []
    for lane in lanes:
        try:
            meta, recs = parse_console(lane)
        except OSError as e:
            print("bench-report: %s: %s" % (lane, e))
            continue
        if not recs:
            print("bench-report: %s: no results" % lane)
            continue
        s, algos, text = write_lane(lane, meta, recs, corpus)
        made = plots(lane, meta, s, algos, corpus, wb_variants(meta, recs))
        results[lane] = (meta, s)
        alltext.append(text)
        print(text)
        print("bench-report: %s: %s" % (lane, ", ".join(
            [os.path.join(BENCH, lane, f) for f in
             ("summary.txt", "summary.csv", "rounds.csv")] + made)))
    if not results:
        return 1
    os.makedirs(BENCH, exist_ok=True)
    with open(os.path.join(BENCH, "summary.txt"), "w") as f:
        f.write("\n".join(alltext))
    if readme:
        update_readme([l for l in lanes if l in results], results, corpus)
    print("bench-report: all lanes: %s" % os.path.join(BENCH, "summary.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
