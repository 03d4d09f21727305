// No fixed cap on locks held at once (ThreadSanitizer dies at 65): a thread
// holding 200 locks is tracked, and a cycle through the innermost one is
// still found.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>

#define N 200
pthread_mutex_t g_many[N];
pthread_mutex_t g_last = PTHREAD_MUTEX_INITIALIZER;

static void *reverse(void *p) {
  pthread_mutex_lock(&g_last);
  pthread_mutex_lock(&g_many[N - 1]);
  pthread_mutex_unlock(&g_many[N - 1]);
  pthread_mutex_unlock(&g_last);
  return p;
}

static void *hold_many(void *p) {
  for (int i = 0; i < N; ++i)
    pthread_mutex_lock(&g_many[i]);
  pthread_mutex_lock(&g_last);
  pthread_mutex_unlock(&g_last);
  for (int i = N; i-- > 0;)
    pthread_mutex_unlock(&g_many[i]);
  return p;
}

int main(void) {
  for (int i = 0; i < N; ++i)
    pthread_mutex_init(&g_many[i], 0);
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, hold_many, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK-NOT: unheld
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: g_last ({{.*}}) => g_many+7960 ({{.*}}) => g_last
// CHECK-NOT: unheld
