// A call path that filled up still records the pairs of locks created since
// (a test's new object), but only so many: a path that keeps meeting new
// locks (nng makes 8 per message, each a new pair, until the edge set is
// full) is sampled too, past its first 256 new ones.
//
// Under `outer`, one walk takes locks[0..1023], taken once up front (the
// path fills up), then 2,000 fresh ones, locks[1024..3023]: the first 256
// of those are recorded, the other 1,744 sampled out. So locks[1124] ->
// outer closes a cycle and locks[2524] -> outer does not, unless
// max_edges_per_path=0.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SAMPLED
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ALL
#include "Inputs/path_budget.h"

enum { Old = 1024, Fresh = 2000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t locks[Old + Fresh];

static void walk(pthread_mutex_t *locks, int n) {
  for (int i = 0; i < n; ++i) {
    pthread_mutex_lock(&locks[i]);
    pthread_mutex_unlock(&locks[i]);
  }
}

static void *walk_old_then_fresh(void *p) {
  pthread_mutex_lock(&outer);
  walk(locks, Old + Fresh);
  pthread_mutex_unlock(&outer);
  return p;
}

static void reverse(pthread_mutex_t *first) {
  pthread_mutex_lock(first);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_unlock(first);
}

static void *reverse_recorded(void *p) {
  reverse(&locks[Old + 100]);
  return p;
}

static void *reverse_sampled(void *p) {
  reverse(&locks[Old + 1500]);
  return p;
}

int main(void) {
  touch(&outer);
  init_and_touch(locks, Old);
  for (int i = Old; i < Old + Fresh; ++i)
    pthread_mutex_init(&locks[i], 0); // first taken in the walk
  run(walk_old_then_fresh);
  run(reverse_recorded);
  run(reverse_sampled);
  return 0;
}

// SAMPLED: lockgraph: stats: {{.*}}, 1744 acquisitions on full call paths not recorded
// SAMPLED: Cycle in lock order graph: {{outer \(.*\) => locks\+44960 \(.*\) => outer|locks\+44960 \(.*\) => outer \(.*\) => locks\+44960}}
// SAMPLED-NOT: locks+100960
// ALL: lockgraph: stats: {{.*}}, 0 acquisitions on full call paths not recorded
// ALL-DAG: Cycle in lock order graph: {{outer \(.*\) => locks\+44960 \(.*\) => outer|locks\+44960 \(.*\) => outer \(.*\) => locks\+44960}}
// ALL-DAG: Cycle in lock order graph: {{outer \(.*\) => locks\+100960 \(.*\) => outer|locks\+100960 \(.*\) => outer \(.*\) => locks\+100960}}
