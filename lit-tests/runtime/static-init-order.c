// Locks taken in another library's constructor, possibly before the runtime's
// constructor ran, are recorded (the runtime initializes on first use): the
// constructor's early_a -> early_b and main's early_b -> early_a are a cycle.
// REQUIRES: runtime
// RUN: %clang -shared -fPIC %S/Inputs/early_lock.c -o %t.so
// RUN: %clang %s %t.so -Wl,-rpath,%T -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>

extern pthread_mutex_t early_a, early_b;

static void *rev(void *p) {
  pthread_mutex_lock(&early_b);
  pthread_mutex_lock(&early_a);
  pthread_mutex_unlock(&early_a);
  pthread_mutex_unlock(&early_b);
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: early_a ({{.*}}) => early_b ({{.*}}) => early_a
// CHECK: #{{[0-9]+}} early_init {{.*}}early_lock.c:10
