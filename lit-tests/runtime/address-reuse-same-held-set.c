// A lock created where another one was freed, then taken by the same thread
// from the same place under the same held lock, is a new lock: its order
// with the held lock is recorded again (the per-thread memo of known orders
// is by address, and forgets it once a lock is retired), so the reverse
// order of another thread (its sibling, run after it) is a cycle. Retired
// by pthread_mutex_destroy, or only by free() (as a std::mutex in a deleted
// object).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t destroy 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t free-only 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;

static void outer_then(pthread_mutex_t *inner) {
  pthread_mutex_lock(&outer);
  pthread_mutex_lock(inner);
  pthread_mutex_unlock(inner);
  pthread_mutex_unlock(&outer);
}

static void *reversed(void *inner) {
  pthread_mutex_lock(inner);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_unlock(inner);
  return 0;
}

static int destroy;
static pthread_mutex_t *new_mu;

// The same thread takes outer -> old_mu, retires old_mu, then takes
// outer -> new_mu from the same place.
static void *forward(void *p) {
  pthread_mutex_t *old_mu = malloc(sizeof(pthread_mutex_t));
  pthread_mutex_init(old_mu, 0);
  for (int i = 0; i < 3; ++i)
    outer_then(old_mu);
  if (destroy)
    pthread_mutex_destroy(old_mu);
  void *old_addr = old_mu;
  free(old_mu);

  new_mu = malloc(sizeof(pthread_mutex_t));
  pthread_mutex_init(new_mu, 0);
  fprintf(stderr, "same address: %s\n", (void *)new_mu == old_addr ? "yes" : "no");
  outer_then(new_mu);
  return p;
}

int main(int argc, char **argv) {
  destroy = argc > 1 && strcmp(argv[1], "destroy") == 0;
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reversed, new_mu);
  pthread_join(t, 0);
  fprintf(stderr, "done\n");
  return 0;
}

// CHECK: same address: yes
// CHECK-NEXT: done
// CHECK-NEXT: ==================
// CHECK-NEXT: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: {{.*}} => {{.*}} => {{.*}}
// CHECK: SUMMARY: lockgraph: lock-order-inversion
