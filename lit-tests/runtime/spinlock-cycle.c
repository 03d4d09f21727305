// Spinlocks are locks too: an inversion between two of them is reported, with
// heap-allocated locks named by their first acquisition site.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdlib.h>

pthread_spinlock_t *s1, *s2;

static void *fwd(void *p) {
  pthread_spin_lock(s1);
  pthread_spin_lock(s2);
  pthread_spin_unlock(s2);
  pthread_spin_unlock(s1);
  return p;
}

static void *rev(void *p) {
  pthread_spin_lock(s2);
  pthread_spin_lock(s1);
  pthread_spin_unlock(s1);
  pthread_spin_unlock(s2);
  return p;
}

int main(void) {
  s1 = malloc(sizeof *s1);
  s2 = malloc(sizeof *s2);
  pthread_spin_init(s1, 0);
  pthread_spin_init(s2, 0);
  pthread_t t;
  pthread_create(&t, 0, fwd, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: spinlock@spinlock-cycle.c:12 ({{.*}}) => spinlock@spinlock-cycle.c:13 ({{.*}}) => spinlock@spinlock-cycle.c:12
