// A thread records the held sets of its first 4,096 trylocks and then
// stops looking at its trylocks (a trylock edge cannot close a deadlock; it is kept only
// to explain ruled-out cycles). Edges of blocking acquisitions are still
// all recorded: the cycle after the 5,000 trylocks is reported. (No path
// budget here: it would stop the loop first; path-budget.c.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t 2>&1 | FileCheck %s
#include <pthread.h>

enum { Many = 5000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t items[Many];
pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *forward(void *p) {
  pthread_mutex_lock(&outer);
  for (int i = 0; i < Many; ++i)
    if (pthread_mutex_trylock(&items[i]) == 0)
      pthread_mutex_unlock(&items[i]);
  pthread_mutex_unlock(&outer);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *backward(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

int main(void) {
  for (int i = 0; i < Many; ++i)
    pthread_mutex_init(&items[i], 0);
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, backward, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: lockgraph: stats: {{.*}}, 904 trylocks not recorded
// CHECK: Cycle in lock order graph: mu_a {{.*}} => mu_b {{.*}} => mu_a
// CHECK: SUMMARY: lockgraph: lock-order-inversion
