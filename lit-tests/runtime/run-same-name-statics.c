// Two programs of one suite: the first takes its file-static `mutex`, then
// `shared_mu`; the second takes `shared_mu`, then another file's static
// `mutex`. Two locks of one name are not one lock: no cycle, and the graph
// tells them apart by file. A third program that takes `shared_mu`, then
// this file's `mutex` (the first one's own, declared at one place) does
// make the cycle with the first. A program whose two threads make the
// cycle by themselves, run beside the second, names its `mutex` as the
// graph does, with its file, in the finding and in the drawn graph (it was
// `mutex`, drawn as a node of its own beside `mutex (...)`), and so does
// its finding of a blocking call under it.
// REQUIRES: runtime
// RUN: %clang %s -o %t.first
// RUN: %clang -DSECOND_PROGRAM %s %S/Inputs/other_static_mutex.c -o %t.second
// RUN: %clang -DTHIRD_PROGRAM %s -o %t.third
// RUN: %lockgraph run -- sh -c '%t.first; %t.second' 2>&1 | FileCheck --check-prefix=APART %s
// RUN: %lockgraph run --format=dot -- sh -c '%t.first; %t.second' 2>&1 | FileCheck --check-prefix=APART-GRAPH %s
// RUN: not %lockgraph run -- sh -c '%t.first; %t.third' 2>&1 | FileCheck --check-prefix=SAME %s
// RUN: %clang -DCYCLE_PROGRAM %s -o %t.cycle
// RUN: not %lockgraph run -- sh -c '%t.cycle; %t.second' 2>&1 | FileCheck --check-prefix=QUALIFIED %s
// RUN: not %lockgraph run --format=dot -- sh -c '%t.cycle; %t.second' 2>&1 | FileCheck --check-prefix=QUALIFIED-GRAPH %s --implicit-check-not='label="mutex"'
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;

void shared_then_other_mutex(pthread_mutex_t *shared);

static void lock_both(pthread_mutex_t *outer, pthread_mutex_t *inner) {
  pthread_mutex_lock(outer);
  pthread_mutex_lock(inner);
  pthread_mutex_unlock(inner);
  pthread_mutex_unlock(outer);
}

static void *forward(void *arg) {
  lock_both(&mutex, &shared_mu);
  return arg;
}

static void *reverse(void *arg) {
  lock_both(&shared_mu, &mutex);
  return arg;
}

int main(void) {
#if defined(CYCLE_PROGRAM)
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, 0);
  pthread_join(t, 0);
  pthread_mutex_lock(&mutex);
  usleep(1);
  pthread_mutex_unlock(&mutex);
#elif defined(SECOND_PROGRAM)
  shared_then_other_mutex(&shared_mu);
#elif defined(THIRD_PROGRAM)
  lock_both(&shared_mu, &mutex);
#else
  lock_both(&mutex, &shared_mu);
#endif
  return 0;
}

// APART: 3 processes recorded, 3 locks in the graph, 2 lock-order edges
// APART-NOT: warning

// APART-GRAPH-DAG: n[[FIRST:[0-9]+]] [label="mutex (run-same-name-statics.c)"];
// APART-GRAPH-DAG: n[[SHARED:[0-9]+]] [label="shared_mu"];
// APART-GRAPH-DAG: n[[OTHER:[0-9]+]] [label="mutex (other_static_mutex.c)"];
// APART-GRAPH-DAG: n[[FIRST]] -> n[[SHARED]]
// APART-GRAPH-DAG: n[[SHARED]] -> n[[OTHER]]

// SAME: 3 processes recorded, 2 locks in the graph, 2 lock-order edges
// SAME: warning: potential deadlock: lock order cycle mutex -> shared_mu -> mutex [lockgraph-lock-order]
// SAME: 1 finding.

// QUALIFIED-DAG: warning: potential deadlock: lock order cycle mutex (run-same-name-statics.c) -> shared_mu -> mutex (run-same-name-statics.c) [lockgraph-lock-order]
// QUALIFIED-DAG: warning: blocking call '{{.*}}sleep' while holding 'mutex (run-same-name-statics.c)'
// QUALIFIED: 2 findings.

// QUALIFIED-GRAPH-DAG: n[[MINE:[0-9]+]] [label="mutex (run-same-name-statics.c)"];
// QUALIFIED-GRAPH-DAG: n[[SHARED:[0-9]+]] [label="shared_mu"];
// QUALIFIED-GRAPH-DAG: n[[MINE]] -> n[[SHARED]] [label="1", color=red
// QUALIFIED-GRAPH-DAG: n[[SHARED]] -> n[[MINE]] [label="1", color=red
