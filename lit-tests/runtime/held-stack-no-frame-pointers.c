// In code built without frame pointers (as distributions build), the stack
// of a held lock stops at the function that took it, and says how to see
// more; with held_stack_unwind=1 it shows who called that function, and
// which of two callers at the same stack depth it was: the held side of a
// cycle has its call chain, as the acquired side has.
// REQUIRES: runtime
// RUN: %clang -O1 -fomit-frame-pointer %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=SHORT
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=held_stack_unwind=1 %t 2>&1 | FileCheck %s
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=RUN-SHORT
// RUN: not %lockgraph run --runtime-options=held_stack_unwind=1 -- %t 2>&1 | FileCheck %s --check-prefix=RUN-FULL
#include <pthread.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_e = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_f = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void nest(pthread_mutex_t *x,
                                           pthread_mutex_t *y) {
  pthread_mutex_lock(x);
  pthread_mutex_lock(y);
  pthread_mutex_unlock(y);
  pthread_mutex_unlock(x);
}

// The empty asm after each call keeps it a call (not a tail jump), so each
// caller keeps its frame.
__attribute__((noinline)) static void via_alpha(pthread_mutex_t *x,
                                                pthread_mutex_t *y) {
  nest(x, y);
  __asm__ volatile("");
}
__attribute__((noinline)) static void via_beta(pthread_mutex_t *x,
                                               pthread_mutex_t *y) {
  nest(x, y);
  __asm__ volatile("");
}

static void *forward(void *p) {
  for (int i = 0; i < 3; ++i) {
    via_alpha(&mu_a, &mu_b);
    via_beta(&mu_e, &mu_f);
  }
  return p;
}

static void *backward(void *p) {
  nest(&mu_b, &mu_a);
  nest(&mu_f, &mu_e);
  return p;
}

int main(void) {
  // Two sibling threads make the cycles: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, backward, 0);
  pthread_join(t, 0);
  return 0;
}

// SHORT: Lock mu_a previously acquired by the same thread here:
// SHORT-NEXT: #0 nest
// SHORT-NEXT: {{^$}}
// SHORT: HINT: {{.*}}held_stack_unwind=1

// RUN-SHORT: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a
// RUN-SHORT-NEXT: note: 'mu_a' acquired here
// RUN-SHORT-NEXT: note: 'mu_b' acquired here while holding 'mu_a'
// RUN-SHORT: lockgraph: hint: a held lock's stack stops at the function that took it
// RUN-FULL: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a
// RUN-FULL-NEXT: note: 'mu_a' acquired here
// RUN-FULL-NEXT: note: 'nest' called here
// RUN-FULL-NEXT: note: 'via_alpha' called here
// RUN-FULL-NEXT: note: 'mu_b' acquired here while holding 'mu_a'
// RUN-FULL-NOT: hint

// CHECK: Cycle in lock order graph: mu_a ({{.*}}) => mu_b
// CHECK: Lock mu_b acquired here while holding mu_a (thread T1):
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_alpha
// CHECK: Lock mu_a previously acquired by the same thread here:
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_alpha
// CHECK-NEXT: #2 forward
// CHECK: Cycle in lock order graph: mu_e ({{.*}}) => mu_f
// CHECK: Lock mu_f acquired here while holding mu_e (thread T1):
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_beta
// CHECK: Lock mu_e previously acquired by the same thread here:
// CHECK-NEXT: #0 nest
// CHECK-NEXT: #1 via_beta
// CHECK-NEXT: #2 forward
// CHECK-NOT: HINT
