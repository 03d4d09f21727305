// In code without frame pointers, a lock wrapper makes every lock's held
// stack the same one PC (the wrapper's call of pthread_mutex_lock), so call
// paths also tell apart the depth on the stack the wrapper was called at.
// Here a thread fills the path of a walk over 2,000 item locks taken
// through the wrapper under `outer`, then, from a deeper frame, takes
// mu_a -> mu_b through the same wrapper: that is another path and is
// recorded, so the reverse order in another thread closes a cycle.
// REQUIRES: runtime
// RUN: %clang -O1 -fomit-frame-pointer %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t 2>&1 | FileCheck %s
#include "Inputs/path_budget.h"

enum { Many = 2000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t items[Many];

// The empty asm after each call keeps it a call (not a tail jump).
__attribute__((noinline)) static void lock(pthread_mutex_t *m) {
  pthread_mutex_lock(m);
  __asm__ volatile("");
}

__attribute__((noinline)) static void unlock(pthread_mutex_t *m) {
  pthread_mutex_unlock(m);
  __asm__ volatile("");
}

__attribute__((noinline)) static void walk_items(void) {
  lock(&outer);
  for (int i = 0; i < Many; ++i) {
    lock(&items[i]);
    unlock(&items[i]);
  }
  unlock(&outer);
  __asm__ volatile("");
}

__attribute__((noinline)) static void take_pair(pthread_mutex_t *x,
                                                pthread_mutex_t *y) {
  lock(x);
  lock(y);
  unlock(y);
  unlock(x);
  __asm__ volatile("");
}

// 512 bytes deeper on the stack than walk_items' calls.
__attribute__((noinline)) static void take_pair_deeper(pthread_mutex_t *x,
                                                       pthread_mutex_t *y) {
  volatile char pad[512];
  pad[0] = 0;
  take_pair(x, y);
  __asm__ volatile("" ::"r"(pad) : "memory");
}

static void *forward(void *p) {
  walk_items();
  take_pair_deeper(&mu_a, &mu_b);
  return p;
}

static void *backward(void *p) {
  take_pair(&mu_b, &mu_a);
  return p;
}

int main(void) {
  // Locks created before the path fills up are sampled.
  touch(&outer);
  touch(&mu_a);
  touch(&mu_b);
  init_and_touch(items, Many);
  run(forward);
  run(backward);
  return 0;
}

// CHECK: lockgraph: stats: {{.*}}, 976 acquisitions on full call paths not recorded
// CHECK: Cycle in lock order graph: mu_{{[ab]}} {{.*}} => mu_{{[ab]}} {{.*}} => mu_
// CHECK: SUMMARY: lockgraph: lock-order-inversion
