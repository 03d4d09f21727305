#!/bin/bash
# memcached throughput with and without the lockgraph preload, side by side.
#
#   bench/runtime/memcached_bench.sh [build/lib/liblockgraph.so] [rounds] [pairs]
#
# Needs Debian's memcached and libmemcached-tools (memcslap), not installed by
# scripts/setup: apt-get install memcached libmemcached-tools.
#
# Each round starts two fresh servers side by side, a native one and a
# preloaded one (memcached -t 4 on loopback ports 21211 and 21212), and
# loads each with memcslap -c 8: first a set of 20,000 keys on the empty
# server ("cold set"), then `pairs` pairs of short phases, each phase run
# on one server and right after on the other, in turns (ABBA): a set of
# 5,000 keys ("warm set") and a get of 5,000 ("get"). For each phase it
# prints the median of the pairs' own ratios (preloaded time over the
# native time next to it) with a 95% confidence interval of that median
# (distribution-free, from the order statistics), and the throughput loss
# it means. Also the CPU seconds each server used in its warm phases
# (user+system, from /proc), summed over the run.
#
# Why pairs of short phases: on a shared 2-core VM, where memcslap, the
# kernel's network stack and memcached share the cores, one phase's time
# moves by +-15% from one run to the next and the machine drifts over the
# minutes a run takes (native phases from 3.1 s to 5.2 s in one run). Two
# phases seconds apart drift alike, and many short ones narrow the interval
# in the same minutes that a few long ones take. Fresh servers each round
# keep one pair of processes' memory layout from biasing all the pairs.
#
# When perf works here (linux-perf installed, perf_event_paranoid <= 2), a
# last preloaded run samples memcached's CPU during a warm set and get and
# prints the share of its samples inside the runtime: a ratio taken within
# one run, so it does not move with the machine's load.
#
# The cold set is where the runtime records: the first time a thread takes
# a lock under another (each worker x each of memcached's 4,096 item locks x
# what it takes under it), it records the edge and its stacks; after that
# an acquisition costs a cache lookup, which the warm phases measure.
set -euo pipefail
PRELOAD=${1:-$(dirname "$0")/../../build/lib/liblockgraph.so}
ROUNDS=${2:-10}
PAIRS=${3:-8}
for tool in memcached memcslap; do
  command -v $tool >/dev/null || { echo "memcached_bench: $tool not installed" >&2; exit 2; }
done
[ -f "$PRELOAD" ] || { echo "memcached_bench: no runtime at $PRELOAD" >&2; exit 2; }
NATIVE_PORT=21211
PRELOAD_PORT=21212
QUIET_OPTIONS=report_at_exit=0:print_findings=0${LOCKGRAPH_BENCH_OPTIONS:+:$LOCKGRAPH_BENCH_OPTIONS}

die() { echo "memcached_bench: $*" >&2; exit 1; }

phase() { # $1 = port, $2 = set|get, $3 = keys: seconds memcslap reports
  memcslap -s 127.0.0.1:$1 -c 8 -e "$3" -t "$2" 2>&1 |
    awk -v p="Time to $2" 'index($0, p) {print $(NF-1); found = 1; exit}
                           END {if (!found) exit 1}' ||
    die "memcslap -t $2 against port $1 reported no time"
}

cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; } # user + system

start_server() { # $1 = port, $2 = preload path or empty: sets server_pid
  if [ -n "$2" ]; then
    LD_PRELOAD=$2 LOCKGRAPH_OPTIONS=$QUIET_OPTIONS memcached -u "$(id -un)" -p $1 -t 4 -U 0 &
  else
    memcached -u "$(id -un)" -p $1 -t 4 -U 0 &
  fi
  server_pid=$!
}

listening() { (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; } # $1 = port

wait_listening() { # $1 = port, $2 = the server's pid
  for _ in $(seq 50); do
    kill -0 $2 2>/dev/null || die "memcached on port $1 exited"
    listening $1 && return
    sleep 0.1
  done
  die "no server on port $1"
}

# One phase on each server, the native one first when $3 is even: sets
# pair_result to "native-seconds preload-seconds native-ticks preload-ticks"
# (a phase that reports no time ends the run: phase's die, in a subshell).
pair() { # $1 = set|get, $2 = keys, $3 = turn
  local n p nt pt t0
  if (($3 % 2 == 0)); then
    t0=$(cpu_ticks $native_pid); n=$(phase $NATIVE_PORT $1 $2) || exit 1; nt=$(($(cpu_ticks $native_pid) - t0))
    t0=$(cpu_ticks $preload_pid); p=$(phase $PRELOAD_PORT $1 $2) || exit 1; pt=$(($(cpu_ticks $preload_pid) - t0))
  else
    t0=$(cpu_ticks $preload_pid); p=$(phase $PRELOAD_PORT $1 $2) || exit 1; pt=$(($(cpu_ticks $preload_pid) - t0))
    t0=$(cpu_ticks $native_pid); n=$(phase $NATIVE_PORT $1 $2) || exit 1; nt=$(($(cpu_ticks $native_pid) - t0))
  fi
  pair_result="$n $p $nt $pt"
}

native_pid= preload_pid=
stop_servers() {
  [ -n "$native_pid$preload_pid" ] || return 0
  kill $native_pid $preload_pid 2>/dev/null || true
  wait $native_pid $preload_pid 2>/dev/null || true
  native_pid= preload_pid=
}
trap stop_servers EXIT

# A server already on a port would answer in place of ours.
for port in $NATIVE_PORT $PRELOAD_PORT; do
  ! listening $port || die "port $port is in use (a memcached left running?)"
done

cold=(); warm_set=(); get=()
for ((r = 1; r <= ROUNDS; r++)); do
  start_server $NATIVE_PORT ""
  native_pid=$server_pid
  start_server $PRELOAD_PORT "$PRELOAD"
  preload_pid=$server_pid
  wait_listening $NATIVE_PORT $native_pid
  wait_listening $PRELOAD_PORT $preload_pid
  pair set 20000 $r; cold+=("$pair_result")
  for ((i = 1; i <= PAIRS; i++)); do
    pair set 5000 $((r + i)); warm_set+=("$pair_result")
    pair get 5000 $((r + i)); get+=("$pair_result")
  done
  stop_servers
done
trap - EXIT

# "median M (95% CI lo-hi, n N)" of the ratios preloaded / native of the
# pairs on stdin. The interval is the order statistics that bracket the
# median with 95% confidence for any distribution (normal approximation to
# the binomial: ranks n/2 -+ 0.98 sqrt(n)); below 10 pairs, where that
# approximation fails, it is only the range.
ratio_summary() {
  awk '$1 > 0 {print $2 / $1}' | sort -g |
    awk '{v[NR] = $1}
         END {
           lo = int(NR / 2 - 0.98 * sqrt(NR)); hi = int(NR / 2 + 0.98 * sqrt(NR)) + 1
           if (lo < 1) lo = 1; if (hi > NR) hi = NR
           m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
           printf "%.3f %.3f %.3f %d\n", m, v[lo], v[hi], NR
         }'
}

report() { # $1 = name, then the pairs
  local name=$1
  shift
  printf '%s\n' "$@" | ratio_summary |
    awk -v name="$name" '{printf "  %-9s lockgraph takes %.2fx the native time (%s %.2f-%.2fx, %d pairs): throughput loss %.1f%% (%.1f%% to %.1f%%)\n",
                          name ":", $1, ($4 >= 10 ? "95% CI" : "range"), $2, $3, $4,
                          (1 - 1 / $1) * 100, (1 - 1 / $2) * 100, (1 - 1 / $3) * 100}'
}

printf 'memcached -t 4, memcslap -c 8, %d rounds of a fresh native and preloaded server side by side: a cold set of 20,000 keys, then %d pairs of a warm set and a get of 5,000\n' "$ROUNDS" "$PAIRS"
report "cold set" "${cold[@]}"
report "warm set" "${warm_set[@]}"
report "get" "${get[@]}"
printf '%s\n' "${warm_set[@]}" "${get[@]}" |
  awk -v hz="$(getconf CLK_TCK)" '{n += $3; p += $4} END {if (n) printf "  memcached CPU time (warm set + get, all pairs): %.3fx native (%.2f s vs %.2f s)\n", p / n, p / hz, n / hz}'

runtime_share() { # one preloaded server under perf: % of its samples in the runtime
  local pid data perf_pid
  start_server $PRELOAD_PORT "$PRELOAD" >&2
  pid=$server_pid
  wait_listening $PRELOAD_PORT $pid
  data=$(mktemp)
  phase $PRELOAD_PORT set 20000 >/dev/null
  perf record -q -e cpu-clock -p $pid -o "$data" >/dev/null 2>&1 &
  perf_pid=$!
  sleep 0.3
  phase $PRELOAD_PORT set 20000 >/dev/null
  phase $PRELOAD_PORT get 20000 >/dev/null
  kill -INT $perf_pid; wait $perf_pid 2>/dev/null || true
  kill $pid; wait $pid 2>/dev/null || true
  perf report -i "$data" --no-children --sort dso -g none 2>/dev/null |
    awk -v so="$(basename "$PRELOAD")" '$1 ~ /%$/ && $2 == so {v = $1 + 0} END {printf "%.1f", v}'
  rm -f "$data"
}
if command -v perf >/dev/null && perf stat -e cpu-clock true >/dev/null 2>&1; then
  share=$(runtime_share)
  awk -v s="$share" 'BEGIN {printf "  runtime share of memcached'"'"'s CPU samples (warm set + get, perf): %.1f%% (its CPU over the rest: +%.1f%%)\n", s, s / (100 - s) * 100}'
fi
