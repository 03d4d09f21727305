// One call path (the held locks' acquisition stacks plus the new lock's)
// records at most max_edges_per_path new lock pairs per thread; past that,
// more instances taken along the same path are sampled out. A different
// held lock makes a different path, which records again.
//
// walk_items() takes 5,000 item locks under `outer`: the first 1,024 pairs
// outer -> items[i] are recorded, the other 3,976 acquisitions are not.
// The same walk under `other`, in the same thread, is a new path:
// other -> items[10] is recorded, and its reverse closes a cycle. The reverse of a sampled-out
// pair (items[4999] -> outer) closes no cycle by default, and does with
// max_edges_per_path=0 (no limit).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SAMPLED
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,ALL
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=MERGED
#include <pthread.h>

enum { Many = 5000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t items[Many];

static void walk_items(void) {
  for (int i = 0; i < Many; ++i) {
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

static void *reverse_last(void *p) {
  pthread_mutex_lock(&items[Many - 1]);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_unlock(&items[Many - 1]);
  return p;
}

static void *reverse_other(void *p) {
  pthread_mutex_lock(&items[10]);
  pthread_mutex_lock(&other);
  pthread_mutex_unlock(&other);
  pthread_mutex_unlock(&items[10]);
  return p;
}

static void run(void *(*fn)(void *)) {
  pthread_t t;
  pthread_create(&t, 0, fn, 0);
  pthread_join(t, 0);
}

int main(void) {
  for (int i = 0; i < Many; ++i)
    pthread_mutex_init(&items[i], 0);
  run(walk_twice);
  run(reverse_last);
  run(reverse_other);
  return 0;
}

// SAMPLED: lockgraph: stats: {{.*}}, 7952 acquisitions on full call paths not recorded
// ALL: lockgraph: stats: {{.*}}, 0 acquisitions on full call paths not recorded
// SAMPLED-NOT: Cycle in lock order graph: items+199960 {{.*}} => outer
// ALL: Cycle in lock order graph: items+199960 {{.*}} => outer {{.*}} => items+199960
// CHECK: Cycle in lock order graph: items+400 {{.*}} => other {{.*}} => items+400
// SAMPLED-NOT: Cycle in lock order graph
// SAMPLED: lockgraph: note: 7952 lock acquisitions were sampled out: {{.*}}(max_edges_per_path=0 records all)
// ALL-NOT: lockgraph: note:

// lockgraph run says it too, from the graph file.
// MERGED-NOT: cycle items+199960
// MERGED: warning: potential deadlock: lock order cycle items+400 -> other -> items+400
// MERGED: lockgraph: note: 7952 lock acquisitions were not recorded: {{.*}}--runtime-options=max_edges_per_path=0
