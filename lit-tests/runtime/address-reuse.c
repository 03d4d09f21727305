// A mutex destroyed and freed, then a new one allocated at the same address,
// is a different lock: a -> old and new -> a is not a cycle.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;

static void *other_thread(void *m) {
  pthread_mutex_lock((pthread_mutex_t *)m);
  pthread_mutex_lock(&g_a);
  pthread_mutex_unlock(&g_a);
  pthread_mutex_unlock((pthread_mutex_t *)m);
  return 0;
}

int main(void) {
  pthread_mutex_t *old_mu = malloc(sizeof(pthread_mutex_t));
  pthread_mutex_init(old_mu, 0);
  pthread_mutex_lock(&g_a);
  pthread_mutex_lock(old_mu);
  pthread_mutex_unlock(old_mu);
  pthread_mutex_unlock(&g_a);
  pthread_mutex_destroy(old_mu);
  void *old_addr = old_mu;
  free(old_mu);

  pthread_mutex_t *new_mu = malloc(sizeof(pthread_mutex_t));
  pthread_mutex_init(new_mu, 0);
  fprintf(stderr, "same address: %s\n", (void *)new_mu == old_addr ? "yes" : "no");
  pthread_t t;
  pthread_create(&t, 0, other_thread, new_mu);
  pthread_join(t, 0);
  pthread_mutex_destroy(new_mu);
  free(new_mu);
  return 0;
}

// CHECK: same address: yes
// CHECK-NOT: WARNING: lockgraph
