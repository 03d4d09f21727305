#!/bin/bash
# memcached throughput with and without the lockgraph preload, side by side.
#
#   bench/runtime/memcached_bench.sh [build/lib/liblockgraph.so] [rounds]
#
# Needs Debian's memcached and libmemcached-tools (memcslap), not installed by
# scripts/setup: apt-get install memcached libmemcached-tools. memcached runs
# with 4 worker threads on loopback port 21211; memcslap sets 8 x 20,000 keys
# on the fresh server ("cold set"), then sets them again ("warm set") and
# gets them. Rounds alternate native and preloaded runs; it prints the
# seconds of each phase, the CPU seconds memcached used in the warm phases
# (user+system, from /proc: on a small machine where client and server share
# the cores, the steadier measure of the runtime's cost), and for each the
# median and quartiles of the rounds' own ratios, then the ratio of the
# medians.
#
# When perf works here (linux-perf installed, perf_event_paranoid <= 2), a
# last preloaded run samples memcached's CPU during the warm phases and
# prints the share of its samples inside the runtime: a ratio taken within
# one run, so it does not move with the machine's load as the side-by-side
# times do (on a shared 2-core VM those vary by +-15% between runs).
#
# Two figures because the runtime's cost is not flat: the first time a
# thread takes a lock under another (each worker x each of memcached's
# 4,096 item locks x what it takes under it), it records the edge and its
# stacks; after that an acquisition costs a cache lookup. The cold set is
# mostly that first time; the warm phases are what a long-running server
# pays.
set -euo pipefail
PRELOAD=${1:-$(dirname "$0")/../../build/lib/liblockgraph.so}
ROUNDS=${2:-3}
for tool in memcached memcslap; do
  command -v $tool >/dev/null || { echo "memcached_bench: $tool not installed" >&2; exit 2; }
done
PORT=21211

phase() { # $1 = set|get
  memcslap -s 127.0.0.1:$PORT -c 8 -e 20000 -t "$1" 2>&1 | awk -v p="Time to $1" 'index($0, p) {print $(NF-1); exit}'
}

cpu_seconds() { # user + system time of process $1
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$1/stat
}

one_run() { # $1 = preload path or empty
  if [ -n "$1" ]; then
    LD_PRELOAD=$1 LOCKGRAPH_OPTIONS=report_at_exit=0${LOCKGRAPH_BENCH_OPTIONS:+:$LOCKGRAPH_BENCH_OPTIONS} memcached -u "$(id -un)" -p $PORT -t 4 -U 0 &
  else
    memcached -u "$(id -un)" -p $PORT -t 4 -U 0 &
  fi
  local pid=$!
  sleep 0.5
  local cpu0 cold set get
  cold=$(phase set)
  cpu0=$(cpu_seconds $pid)
  set=$(phase set)
  get=$(phase get)
  echo "$cold $set $get $(awk -v a="$(cpu_seconds $pid)" -v b="$cpu0" 'BEGIN {printf "%.2f", a - b}')"
  kill $pid
  wait $pid 2>/dev/null || true
}

runtime_share() { # one preloaded run under perf: % of memcached's samples in the runtime
  LD_PRELOAD=$PRELOAD LOCKGRAPH_OPTIONS=report_at_exit=0${LOCKGRAPH_BENCH_OPTIONS:+:$LOCKGRAPH_BENCH_OPTIONS} memcached -u "$(id -un)" -p $PORT -t 4 -U 0 &
  local pid=$! data
  data=$(mktemp)
  sleep 0.5
  phase set >/dev/null
  perf record -q -e cpu-clock -p $pid -o "$data" >/dev/null 2>&1 &
  local perf_pid=$!
  sleep 0.3
  phase set >/dev/null
  phase get >/dev/null
  kill -INT $perf_pid; wait $perf_pid 2>/dev/null || true
  kill $pid; wait $pid 2>/dev/null || true
  perf report -i "$data" --no-children --sort dso -g none 2>/dev/null |
    awk -v so="$(basename "$PRELOAD")" '$1 ~ /%$/ && $2 == so {v = $1 + 0} END {printf "%.1f", v}'
  rm -f "$data"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# The ratios of column $1 within each round (preloaded over native), as
# "median M, quartiles Q1-Q3": how far the noise between runs reaches.
round_ratios() {
  paste <(printf '%s\n' "${native[@]}") <(printf '%s\n' "${preload[@]}") |
    awk -v c=$1 '{print $(c + 4) / $c}' | sort -n |
    awk '{v[NR]=$1} END {q1 = v[int((NR+3)/4)]; q3 = v[int((3*NR+3)/4)];
         printf "median %.2fx, quartiles %.2f-%.2fx", v[int((NR+1)/2)], q1, q3}'
}

# Which of a round's two runs goes first alternates (ABBA): a pair's second
# run finds the machine warmer or cooler than its first, either way. The
# headline figure is the median of the rounds' own ratios, each preloaded run
# over the native run next to it: on a shared VM both drift together over the
# minutes a run takes (native phases from 3.1 s to 5.2 s in one run), which
# the ratio of the two medians, printed after it, does not cancel.
native=(); preload=()
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then
    native+=("$(one_run "")")
    preload+=("$(one_run "$PRELOAD")")
  else
    preload+=("$(one_run "$PRELOAD")")
    native+=("$(one_run "")")
  fi
done
printf 'memcached -t 4, memcslap -c 8 -e 20000, %d rounds (seconds: cold-set warm-set get warm-cpu)\n' "$ROUNDS"
printf '  native:    %s\n' "${native[@]}"
printf '  lockgraph: %s\n' "${preload[@]}"
for col in 1 2 3 4; do
  name=$(echo cold-set warm-set get cpu | cut -d' ' -f$col)
  n=$(printf '%s\n' "${native[@]}" | awk -v c=$col '{print $c}' | median)
  p=$(printf '%s\n' "${preload[@]}" | awk -v c=$col '{print $c}' | median)
  spread=$(round_ratios $col)
  per_round=$(echo "$spread" | awk '{print $2 + 0}')
  if [ $col = 4 ]; then
    awk -v n="$n" -v p="$p" -v r="$per_round" -v q="$spread" 'BEGIN {printf "  memcached CPU time (warm set + get): %.2fx native per round (%s; ratio of medians %.2fx: %.2f s vs %.2f s)\n", r, q, p / n, p, n}'
  else
    awk -v n="$n" -v p="$p" -v r="$per_round" -v name="$name" -v q="$spread" 'BEGIN {printf "  %s: lockgraph takes %.2fx the native time per round, throughput loss %.0f%% (%s; ratio of medians %.2fx)\n", name, r, (1 - 1 / r) * 100, q, p / n}'
  fi
done
if command -v perf >/dev/null && perf stat -e cpu-clock true >/dev/null 2>&1; then
  share=$(runtime_share)
  awk -v s="$share" 'BEGIN {printf "  runtime share of memcached'"'"'s CPU samples (warm set + get, perf): %.1f%% (its CPU over the rest: +%.1f%%)\n", s, s / (100 - s) * 100}'
fi
