// A thread's full stacks are reused for new edges made from the same call
// chain, and only then: two callers of one helper at the same stack depth
// (so the interposer's frame is at the same address) keep their own stacks.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t 2>&1 | FileCheck %s
#include <pthread.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_d = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_e = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_f = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void nest(pthread_mutex_t *x,
                                           pthread_mutex_t *y) {
  pthread_mutex_lock(x);
  pthread_mutex_lock(y);
  pthread_mutex_unlock(y);
  pthread_mutex_unlock(x);
}

__attribute__((noinline)) static void via_alpha(pthread_mutex_t *x,
                                                pthread_mutex_t *y) {
  nest(x, y);
}
__attribute__((noinline)) static void via_beta(pthread_mutex_t *x,
                                               pthread_mutex_t *y) {
  nest(x, y);
}

static void *forward(void *p) {
  pthread_mutex_t *pairs[2][2] = {{&mu_a, &mu_b}, {&mu_c, &mu_d}};
  for (int i = 0; i < 2; ++i)
    via_alpha(pairs[i][0], pairs[i][1]); // unwound, then the same chain: reused
  via_beta(&mu_e, &mu_f); // same depth, another caller: unwound again
  return p;
}

static void *backward(void *p) {
  nest(&mu_b, &mu_a);
  nest(&mu_d, &mu_c);
  nest(&mu_f, &mu_e);
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, backward, 0);
  pthread_join(t, 0);
  return 0;
}

// The statistics come first: at least the second forward edge reused the
// first one's stack.
// CHECK: lockgraph: stats: {{[0-9]+}} lock instances, {{[0-9]+}} edge records, {{[0-9]+}} stacks unwound, {{[1-9][0-9]*}} reused
// The reports come in lock order; each forward edge names its own caller.
// CHECK: Cycle in lock order graph: mu_a {{.*}} => mu_b
// CHECK: Lock mu_b acquired here while holding mu_a (thread T1):
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_alpha
// CHECK-NEXT: #2 forward
// CHECK: Cycle in lock order graph: mu_c {{.*}} => mu_d
// CHECK: Lock mu_d acquired here while holding mu_c (thread T1):
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_alpha
// CHECK-NEXT: #2 forward
// CHECK: Cycle in lock order graph: mu_e {{.*}} => mu_f
// CHECK: Lock mu_f acquired here while holding mu_e (thread T1):
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_beta
// CHECK-NEXT: #2 forward
