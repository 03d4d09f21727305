// A thread that takes the same locks in the same order again records nothing
// new (its held entries are reused), but only while that is true: here the
// lock held under it changes (a, c then b, c), and a lock at a reused address
// is a new lock (destroyed and freed, then allocated and taken the same way
// from the same place). Both new orders are edges, each reversed by another
// thread (a sibling, run after it): two cycles. a -> c alone is no cycle.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_x = PTHREAD_MUTEX_INITIALIZER;

static void both(pthread_mutex_t *outer, pthread_mutex_t *inner) {
  pthread_mutex_lock(outer);
  pthread_mutex_lock(inner);
  pthread_mutex_unlock(inner);
  pthread_mutex_unlock(outer);
}

static void *reverse(void *pair) {
  pthread_mutex_t **p = pair;
  both(p[0], p[1]);
  return 0;
}

static void in_thread(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_t *pair[2] = {first, second};
  pthread_t t;
  pthread_create(&t, 0, reverse, pair);
  pthread_join(t, 0);
}

static void *run(void *(*fn)(void *)) {
  void *ret;
  pthread_t t;
  pthread_create(&t, 0, fn, 0);
  pthread_join(t, &ret);
  return ret;
}

static void *held_lock_changes(void *p) {
  for (int i = 0; i < 3; ++i)
    both(&mu_a, &mu_c);
  both(&mu_b, &mu_c);
  return p;
}

static void *address_reused(void *p) {
  pthread_mutex_t *heap = malloc(sizeof(pthread_mutex_t));
  void *first_address = heap;
  for (int i = 0; i < 2; ++i) {
    if (i) {
      pthread_mutex_destroy(heap);
      free(heap);
      heap = malloc(sizeof(pthread_mutex_t));
    }
    pthread_mutex_init(heap, 0);
    both(&mu_x, heap);
  }
  fprintf(stderr, "same address: %s\n", (void *)heap == first_address ? "yes" : "no");
  return heap;
}

int main(void) {
  // Each reverse runs in a sibling of the thread it reverses: neither
  // starts or joins the other.
  run(held_lock_changes);
  in_thread(&mu_c, &mu_b);

  pthread_mutex_t *heap = run(address_reused);
  in_thread(heap, &mu_x);
  return 0;
}

// CHECK: same address: yes
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_b ({{.*}}) => mu_c ({{.*}}) => mu_b
// CHECK: SUMMARY: lockgraph: lock-order-inversion
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_x ({{.*}}) => mutex@reused-held-entries.c:{{[0-9]+}}#2 ({{.*}}) => mu_x
// CHECK: SUMMARY: lockgraph: lock-order-inversion
// CHECK-NOT: WARNING:
