// One call path (the held locks' acquisition stacks plus the new lock's)
// records at most max_edges_per_path new lock pairs per thread; past that,
// more lock instances taken along the same path are sampled out, unless
// one of them was created after the path filled up. A different held lock
// makes a different path, which records again.
//
// main takes `outer`, `other` and 5,000 item locks first. walk_items()
// then takes them under `outer`: the first 1,024 pairs outer -> items[i]
// are recorded, the other 3,976 are not, and items[5000], first taken
// there, is recorded: a new lock. The reverse of a sampled-out pair
// (items[3000] -> outer) closes no cycle by default, and does with
// max_edges_per_path=0 (no limit); the reverse of the new lock's pair
// (items[5000] -> outer) does. The same walk under `other`, in the same
// thread, is a new path: other -> items[10] is recorded, and its reverse
// closes a cycle (3,977 sampled there: items[5000] is old by then).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SAMPLED
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,ALL
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=MERGED
// Without the reverse orders there is nothing to report, and the note
// still says what may be missing.
// RUN: env LD_PRELOAD=%preload %t walks-only 2>&1 | FileCheck %s --check-prefix=QUIET
#include "Inputs/path_budget.h"

enum { Many = 5000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t items[Many + 1];

static void walk_items(void) {
  for (int i = 0; i <= Many; ++i) {
    pthread_mutex_lock(&items[i]);
    pthread_mutex_unlock(&items[i]);
  }
}

static void *walk_twice(void *p) {
  pthread_mutex_lock(&outer);
  walk_items();
  pthread_mutex_unlock(&outer);
  pthread_mutex_lock(&other);
  walk_items();
  pthread_mutex_unlock(&other);
  return p;
}

static void reverse(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

static void *reverse_sampled(void *p) {
  reverse(&items[3000], &outer);
  return p;
}

static void *reverse_new(void *p) {
  reverse(&items[Many], &outer);
  return p;
}

static void *reverse_other(void *p) {
  reverse(&items[10], &other);
  return p;
}

int main(int argc, char **argv) {
  touch(&outer);
  touch(&other);
  init_and_touch(items, Many);
  pthread_mutex_init(&items[Many], 0); // first taken in the walk
  run(walk_twice);
  if (argc > 1) // walks-only
    return 0;
  run(reverse_sampled);
  run(reverse_new);
  run(reverse_other);
  return 0;
}

// SAMPLED: lockgraph: stats: {{.*}}, 7953 acquisitions on full call paths not recorded
// ALL: lockgraph: stats: {{.*}}, 0 acquisitions on full call paths not recorded
// SAMPLED-NOT: items+120000
// ALL: Cycle in lock order graph: items+120000 {{.*}} => outer {{.*}} => items+120000
// CHECK: Cycle in lock order graph: items+200000 {{.*}} => outer {{.*}} => items+200000
// CHECK: Cycle in lock order graph: items+400 {{.*}} => other {{.*}} => items+400
// SAMPLED-NOT: items+120000
// SAMPLED: lockgraph: note: 7953 lock acquisitions were not recorded: {{.*}}(max_edges_per_path=0 records all)
// ALL-NOT: lockgraph: note:

// lockgraph run says it too, from the graph file (its symbolizer names an
// array element as such).
// MERGED-NOT: items[3000]
// MERGED-DAG: warning: potential deadlock: lock order cycle items[5000] -> outer -> items[5000]
// MERGED-DAG: warning: potential deadlock: lock order cycle items[10] -> other -> items[10]
// MERGED-NOT: items[3000]
// MERGED: lockgraph: note: 7953 lock acquisitions were not recorded: {{.*}}--runtime-options=max_edges_per_path=0

// QUIET-NOT: WARNING
// QUIET: lockgraph: note: 7953 lock acquisitions were not recorded: {{.*}}
// QUIET-NOT: WARNING
