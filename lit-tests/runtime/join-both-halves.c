// A join while holding a lock the joined thread takes, through both halves:
// the analyzer's graph (state_mu -> thread:worker -> state_mu, from source)
// and the run-time graph (the same nodes: the global's symbol and the start
// routine's name) merge into one wait-holding-lock finding confirmed at run
// time; so does the blocking call, which both halves report. The run is
// sequenced (the worker is done with the lock before main takes it), so it
// never hangs. The fixed twin joins after unlocking and is silent through the
// same pipeline.
// REQUIRES: runtime, analyzer
// RUN: rm -rf %t && mkdir -p %t
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t/bug "" %s
// RUN: %clang %s -o %t/bug.exe
// RUN: not %lockgraph check -p %t/bug --export-graph=%t/static.json > /dev/null 2>&1
// RUN: not %lockgraph run --keep-graphs=%t/rt -- %t/bug.exe > /dev/null 2>&1
// RUN: not %lockgraph report %t/static.json %t/rt/*.json > %t/out 2>&1
// RUN: FileCheck %s --input-file=%t/out --implicit-check-not=warning:
// CHECK: join-both-halves.c:[[#@LINE+40]]:3: warning: potential deadlock: joining 'thread:worker' while holding 'state_mu', which the joined thread acquires: cycle state_mu -> thread:worker -> state_mu (confirmed at run time) [lockgraph-wait-holding-lock]
// CHECK: join-both-halves.c:[[#@LINE+39]]:3: note: joins 'thread:worker' here while holding 'state_mu' (from source)
// CHECK: join-both-halves.c:[[#@LINE+38]]:3: note: joins 'thread:worker' here while holding 'state_mu' in thread '{{.*}}' (seen at run time{{.*}})
// CHECK: join-both-halves.c:[[#@LINE+20]]:3: note: 'state_mu' acquired here by 'thread:worker' (from source)
// CHECK: join-both-halves.c:[[#@LINE+19]]:3: note: 'state_mu' acquired here by 'thread:worker' in thread '{{.*}}' (seen at run time{{.*}})
// CHECK: note: to break the cycle, release 'state_mu' before joining 'thread:worker' here
// The blocking call both halves saw is one finding too.
// CHECK: join-both-halves.c:[[#@LINE+33]]:3: warning: blocking call to 'pthread_join' while holding 'state_mu' (confirmed at run time) [lockgraph-blocking-under-lock]
// CHECK: join-both-halves.c:[[#@LINE+32]]:3: note: seen at run time: blocking call 'pthread_join' while holding 'state_mu' (took {{.*}} ms)
// CHECK: 2 findings.
//
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %clang -DFIXED %s -o %t/fixed.exe
// RUN: %lockgraph check -p %t/fixed --export-graph=%t/static_fixed.json | count 0
// RUN: %lockgraph run --keep-graphs=%t/rt_fixed -- %t/fixed.exe > /dev/null 2>&1
// RUN: %lockgraph report %t/static_fixed.json %t/rt_fixed/*.json 2>&1 | count 0
#include <pthread.h>

pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t worker_done_with_lock;
int state;

static void *worker(void *arg) {
  pthread_mutex_lock(&state_mu);
  ++state;
  pthread_mutex_unlock(&state_mu);
  pthread_barrier_wait(&worker_done_with_lock);
  return arg;
}

int main(void) {
  pthread_barrier_init(&worker_done_with_lock, 0, 2);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_barrier_wait(&worker_done_with_lock);
  pthread_mutex_lock(&state_mu);
  state = -1;
#ifdef FIXED
  pthread_mutex_unlock(&state_mu);
#endif
  pthread_join(t, 0);
#ifndef FIXED
  pthread_mutex_unlock(&state_mu);
#endif
  return 0;
}
