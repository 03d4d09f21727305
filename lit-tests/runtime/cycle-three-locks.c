// A 3-lock cycle A -> B -> C -> A over three threads (C, pthread).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_c = PTHREAD_MUTEX_INITIALIZER;

static void both(pthread_mutex_t *x, pthread_mutex_t *y) {
  pthread_mutex_lock(x);
  pthread_mutex_lock(y);
  pthread_mutex_unlock(y);
  pthread_mutex_unlock(x);
}

static void *ab(void *p) { both(&mu_a, &mu_b); return p; }
static void *bc(void *p) { both(&mu_b, &mu_c); return p; }
static void *ca(void *p) { both(&mu_c, &mu_a); return p; }

int main(void) {
  void *(*fns[3])(void *) = {ab, bc, ca};
  for (int i = 0; i < 3; ++i) {
    pthread_t t;
    pthread_create(&t, 0, fns[i], 0);
    pthread_join(t, 0);
  }
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_c ({{.*}}) => mu_a
// CHECK: Lock mu_b acquired here while holding mu_a (thread T1):
// CHECK: Lock mu_c acquired here while holding mu_b (thread T2):
// CHECK: Lock mu_a acquired here while holding mu_c (thread T3):
// CHECK: SUMMARY: lockgraph: lock-order-inversion
// CHECK-NOT: WARNING:
