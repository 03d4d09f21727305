#!/usr/bin/env python3
"""Lock microbenchmark, side by side in one run: native, preloaded
liblockgraph.so, ThreadSanitizer (clang++-19 -fsanitize=thread) and Helgrind
(valgrind --tool=helgrind) when installed. Prints each as a ratio to native.

  lock_bench.py --preload build/lib/liblockgraph.so [--threads 2]
                [--iterations 1000000] [--mutexes 4] [--repeat 5]

The program (lock_microbench.cpp) takes K mutexes in a fixed order, so no
detector should report anything; it prints its own wall time, which excludes
process start-up and the detectors' exit work. Every configuration runs
--repeat times, interleaved (each round in a shuffled order), and the median is used; the last column gives
the median and quartiles of the per-round ratios (each run over the same
round's native run), which show how much of a difference is noise. Helgrind is ~400x
slower, so it runs 1/50 of the iterations and is compared with native at the
same count. The native and preloaded runs are repeated with each thread
taking its own mutexes ("uncontended", compared with native uncontended):
the hooks' own cost, without the extra hand-offs between threads that any
work between an unlock and the next lock causes under contention.

The "hashed" configurations take one of 4,096 item mutexes and, under it,
one of 64 others per iteration, as memcached's workers do: lock pairs the
threads have not taken before keep coming, which is where recording pairs
per lock instance costs most; "unsampled" is the runtime without its
call-path sampling (max_edges_per_path=0, docs/runtime.md). The "cycled"
ones hold a lock of their own and, under it, take the next of 256 shared
mutexes in turn, as memcached's LRU maintainer does: the same few hundred
pairs over and over, never the same one twice in a row. The "maintainer"
ones work as that thread does in full: under their own lock, the next of
64 "LRU" mutexes, a trylock of one of 4,096 item mutexes under it, the LRU
mutex released first, and another LRU mutex taken under the item. The
"retiring"
ones are "uncontended" where every 16th iteration also makes, locks and
deletes a std::mutex under the held ones: each delete retires a lock.

The "server" ones make requests as a cache server's worker does (one of
4,096 item mutexes with one of 64 under it, the thread's statistics mutex,
another item mutex alone, the statistics mutex from another call site):
the outermost lock changes four times per request.

With --instructions, also the instructions each configuration executes
per iteration, native and preloaded, and the first-level data-cache misses,
counted by valgrind's cachegrind (its simulation of this machine's caches)
with one thread (the difference between runs of N and 2N iterations, so
that start-up and exit cancel out): the same counts on every run, where the
times above move by a fifth on a shared VM, so they show what a change to
the runtime saves. The "cold" shape is "server" with a 64 KiB buffer written
between requests, as a server's system calls evict its caches: the misses
the runtime adds there are what each request of a real server pays for it
(memcached's CPU time is four fifths in the kernel).

With --budget, also a bare interposer (hook_budget.c) that adds N spins to
every lock and unlock call, for several N: the per-call work a detector can
afford within a given ratio on this machine.

With --real, also the wall time of real multithreaded tools from Debian
packages, native against preloaded: `zstd -T4` (the issue's measure: more
threads than this machine's 2 cores, so they hand work over) compressing a
generated 100 MiB file (when installed).
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def compile_bench(cxx, out, extra):
    cmd = [cxx, "-std=c++20", "-O2", "-gdwarf-4", "-pthread",
           os.path.join(HERE, "lock_microbench.cpp"), "-o", out] + extra
    subprocess.run(cmd, check=True)


def run_once(cmd, env=None):
    full_env = dict(os.environ)
    full_env.pop("LD_PRELOAD", None)
    full_env.pop("LOCKGRAPH_OPTIONS", None)
    if env:
        full_env.update(env)
    r = subprocess.run(cmd, env=full_env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-2000:])
        raise SystemExit("benchmark run failed: " + " ".join(cmd))
    if "WARNING" in r.stderr:
        sys.stderr.write("unexpected report from %s:\n%s\n" % (cmd[0], r.stderr[:2000]))
    return float(r.stdout.strip().splitlines()[-1])


def timed(cmd, env=None):
    import time
    full_env = dict(os.environ)
    full_env.pop("LD_PRELOAD", None)
    if env:
        full_env.update(env)
    t = time.monotonic()
    subprocess.run(cmd, env=full_env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def real_tools(work, args):
    import random
    data = os.path.join(work, "input.bin")
    rnd = random.Random(4)
    words = [bytes(rnd.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
             for _ in range(5000)]
    with open(data, "wb") as f:
        chunk = b" ".join(rnd.choice(words) for _ in range(200000))
        while f.tell() < 100 << 20:
            f.write(chunk)
            f.write(rnd.randbytes(1 << 16))
    tools = []
    if shutil.which("zstd"):
        tools.append(("zstd -T4 -3", ["zstd", "-q", "-f", "-T4", "-3", data, "-o", data + ".zst"]))
    preload = {"LD_PRELOAD": os.path.abspath(args.preload)}
    print("real tools, 100 MiB input, median of %d wall times" % args.repeat)
    for name, cmd in tools:
        nat, pre = [], []
        for _ in range(args.repeat):
            nat.append(timed(cmd))
            pre.append(timed(cmd, preload))
        n, p = statistics.median(nat), statistics.median(pre)
        print("%-26s native %.3f s, lockgraph %.3f s: %.2fx" % (name, n, p, p / n))


def budget(work, native, shape, args):
    """The microbench under hook_budget.so with N spins per lock and unlock
    call, each as a ratio to native, contended and uncontended."""
    lib = os.path.join(work, "hook_budget.so")
    cc = shutil.which("clang-19") or shutil.which("cc")
    subprocess.run([cc, "-O2", "-shared", "-fPIC",
                    os.path.join(HERE, "hook_budget.c"), "-o", lib, "-ldl"],
                   check=True)
    print("hook budget, median of %d: a bare interposer (tail calls); one that "
          "looks at the real call's result (a frame and a call); one that also "
          "keeps a held-lock stack and nothing else; and N spins (~5 cycles "
          "each) on top of the second" % args.repeat)
    print("%-28s %12s %14s" % ("hooks", "contended", "uncontended"))
    rows = [("bare (tail call)", {"HOOK_BUDGET_MODE": "bare"}),
            ("result checked", {"HOOK_BUDGET_MODE": "after"}),
            ("held stack only", {"HOOK_BUDGET_MODE": "held"})]
    rows += [("result checked + %d spins" % n,
              {"HOOK_BUDGET_MODE": "after", "HOOK_BUDGET_SPINS": str(n)})
             for n in (2, 5, 10)]
    for label, extra_env in rows:
        env = dict(extra_env, LD_PRELOAD=lib)
        row = []
        for extra in ([], ["private"]):
            nat, pre = [], []
            for _ in range(args.repeat):
                nat.append(run_once([native] + shape + extra))
                pre.append(run_once([native] + shape + extra, env))
            row.append(statistics.median(pre) / statistics.median(nat))
        print("%-28s %11.2fx %13.2fx" % (label, row[0], row[1]))


def simulated_counts(cmd, env):
    """Instructions and first-level data-cache misses (reads and writes)
    that cachegrind's simulation of this machine's caches counted for \p cmd
    (the whole process)."""
    import re
    full_env = dict(os.environ)
    full_env.pop("LD_PRELOAD", None)
    full_env.pop("LOCKGRAPH_OPTIONS", None)
    if env:
        full_env.update(env)
    r = subprocess.run([shutil.which("valgrind"), "--tool=cachegrind",
                        "--cache-sim=yes", "--cachegrind-out-file=/dev/null"]
                       + cmd, env=full_env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    refs = re.search(r"I\s+refs:\s+([\d,]+)", r.stderr)
    misses = re.search(r"D1\s+misses:\s+([\d,]+)", r.stderr)
    if r.returncode != 0 or not refs or not misses:
        sys.stderr.write(r.stderr[-2000:])
        raise SystemExit("cachegrind run failed: " + " ".join(cmd))
    return (int(refs.group(1).replace(",", "")),
            int(misses.group(1).replace(",", "")))


def instructions(native, preload, args):
    """Instructions and data-cache misses per iteration, native and
    preloaded, for each shape."""
    if not shutil.which("valgrind"):
        print("(valgrind not installed: no instruction counts)")
        return
    quiet = dict(preload, LOCKGRAPH_OPTIONS="report_at_exit=0")
    print("per iteration, 1 thread (cachegrind: runs of N and 2N iterations, "
          "their difference over N; N = 50,000, 10,000 for cold): "
          "instructions, and first-level data-cache misses (simulated)")
    print("%-14s %10s %10s %7s %9s %9s %7s" % (
        "shape", "native", "lockgraph", "ratio", "D1 native", "lockgraph",
        "added"))
    for shape in ("", "private", "hashed", "server", "cold", "cycled",
                  "maintainer", "retiring"):
        n = 10000 if shape == "cold" else 50000
        def per_iteration(env):
            counts = [simulated_counts(
                [native, "1", str(k), str(args.mutexes)] + ([shape] if shape else []),
                env) for k in (n, 2 * n)]
            return [(b - a) / n for a, b in zip(counts[0], counts[1])]
        (nat, nat_miss), (pre, pre_miss) = per_iteration(None), per_iteration(quiet)
        print("%-14s %10.0f %10.0f %6.2fx %9.1f %9.1f %7.1f" % (
            shape or "fixed order", nat, pre, pre / nat, nat_miss, pre_miss,
            pre_miss - nat_miss))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preload", required=True)
    ap.add_argument("--cxx", default=shutil.which("clang++-19") or "clang++")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=1000000)
    ap.add_argument("--mutexes", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1,
                    help="seed of each round's order of configurations")
    ap.add_argument("--no-tsan", action="store_true")
    ap.add_argument("--no-helgrind", action="store_true")
    ap.add_argument("--real", action="store_true",
                    help="also time zstd -T4 (when installed)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions and data-cache misses per "
                    "iteration with valgrind's cachegrind (when installed): "
                    "deterministic")
    ap.add_argument("--budget", action="store_true",
                    help="also run hook_budget.so, a bare interposer that "
                    "adds N spins to every lock and unlock, for several N: "
                    "how much per-call work fits in a given ratio")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="lockgraph-bench-")
    try:
        native = os.path.join(work, "bench")
        compile_bench(args.cxx, native, [])
        shape = [str(args.threads), str(args.iterations), str(args.mutexes)]
        preload = {"LD_PRELOAD": os.path.abspath(args.preload)}
        configs = [("native", [native] + shape, None),
                   ("lockgraph (LD_PRELOAD)", [native] + shape, preload),
                   # Each thread its own mutexes: the hooks' own cost,
                   # without the hand-offs that contention multiplies.
                   ("native, uncontended", [native] + shape + ["private"], None),
                   ("lockgraph, uncontended", [native] + shape + ["private"],
                    preload),
                   # One of 4,096 item locks, then one of 64 under it (as in
                   # memcached): new lock pairs all the time. Also without
                   # the runtime's call-path sampling (docs/runtime.md).
                   ("native, hashed", [native] + shape + ["hashed"], None),
                   ("lockgraph, hashed", [native] + shape + ["hashed"], preload),
                   ("lockgraph, hashed, unsampled", [native] + shape + ["hashed"],
                    dict(preload, LOCKGRAPH_OPTIONS="max_edges_per_path=0")),
                   # Requests as a cache server's worker makes them.
                   ("native, server", [native] + shape + ["server"], None),
                   ("lockgraph, server", [native] + shape + ["server"], preload),
                   # A lock held while the next of 256 others is taken (as
                   # memcached's LRU maintainer does).
                   ("native, cycled", [native] + shape + ["cycled"], None),
                   ("lockgraph, cycled", [native] + shape + ["cycled"], preload),
                   # All of memcached's LRU maintainer: an LRU lock, an item
                   # trylock under it, released out of order, another LRU lock.
                   ("native, maintainer", [native] + shape + ["maintainer"], None),
                   ("lockgraph, maintainer", [native] + shape + ["maintainer"],
                    preload),
                   # Uncontended, and every 16th iteration a std::mutex made,
                   # locked and deleted under the held ones (a retirement).
                   ("native, retiring", [native] + shape + ["retiring"], None),
                   ("lockgraph, retiring", [native] + shape + ["retiring"],
                    preload)]
        if not args.no_tsan:
            tsan = os.path.join(work, "bench-tsan")
            try:
                compile_bench(args.cxx, tsan, ["-fsanitize=thread"])
                configs.append(("ThreadSanitizer", [tsan] + shape,
                                {"TSAN_OPTIONS": "report_bugs=1"}))
            except subprocess.CalledProcessError:
                print("(ThreadSanitizer not available)")
        times = {name: [] for name, _, _ in configs}
        # Each round in its own order: on a small VM what ran just before
        # changes a run's time (after a 5-second ThreadSanitizer run,
        # native's fast mode came up twice as often), so no configuration
        # may always follow the same one. Seeded: a rerun repeats the order.
        order = random.Random(args.seed)
        for _ in range(args.repeat):
            for name, cmd, env in order.sample(configs, len(configs)):
                times[name].append(run_once(cmd, env))

        helgrind = None
        valgrind = shutil.which("valgrind")
        if valgrind and not args.no_helgrind:
            small = [str(args.threads), str(max(1, args.iterations // 50)),
                     str(args.mutexes)]
            nat_small = statistics.median(run_once([native] + small)
                                          for _ in range(3))
            hg = run_once([valgrind, "--tool=helgrind", "-q", native] + small)
            helgrind = (hg, nat_small, small[1])

        base = statistics.median(times["native"])
        print("lock microbench: %d threads x %d iterations x %d mutexes "
              "(fixed order), median of %d" % (args.threads, args.iterations,
                                               args.mutexes, args.repeat))
        # The ratio of medians, and the ratios of each round (each round's
        # time over the same round's native time): under contention the
        # native time alone varies by a third on a small VM, and is bimodal
        # on some (a quarter of the runs much faster), which moves the ratio
        # of medians more than the median of the rounds' ratios.
        print("%-30s %10s %8s   %s" % ("configuration", "seconds", "ratio",
                                       "per round"))
        def native_of(name):
            # "lockgraph, hashed, unsampled" is compared with "native, hashed".
            for mode in ("uncontended", "hashed", "server", "cycled",
                         "maintainer", "retiring"):
                if (", " + mode) in name:
                    return "native, " + mode
            return "native"
        for name, _, _ in configs:
            m = statistics.median(times[name])
            ref = statistics.median(times[native_of(name)])
            spread = ""
            if not name.startswith("native") and args.repeat >= 4:
                natives = times[native_of(name)]
                rounds = [t / n for t, n in zip(times[name], natives)]
                q = statistics.quantiles(rounds, n=4)
                spread = "median %.2fx, quartiles %.2fx-%.2fx" % (
                    statistics.median(rounds), q[0], q[2])
            print("%-30s %10.4f %7.2fx   %s" % (name, m, m / ref, spread))
        if helgrind:
            hg, nat_small, n = helgrind
            print("%-30s %10.4f %7.1fx   (%s iterations; native %.4f s)" %
                  ("Helgrind", hg, hg / nat_small, n, nat_small))
        elif not args.no_helgrind:
            print("(Helgrind not installed)")
        if args.real:
            real_tools(work, args)
        if args.instructions:
            instructions(native, preload, args)
        if args.budget:
            budget(work, native, shape, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
