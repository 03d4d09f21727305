// An acquisition records lock pairs from the innermost max_held_edges held
// locks only (default 64): a thread that holds thousands of locks at once
// does not record each of them to every new one. Nested locks still make
// a chain of pairs, each lock to the next, so a cycle through a lock held
// deeper is still found, through the chain. Here g_outer is held three
// locks below g_last: with the default, g_outer -> g_last and the other
// thread's g_last -> g_outer make a cycle of two; with max_held_edges=2
// only the cycles through g_mid1 or g_mid2 remain.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: %env_lg_opts=max_held_edges=2 LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=LIMITED
#include <pthread.h>

pthread_mutex_t g_outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_mid1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_mid2 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_last = PTHREAD_MUTEX_INITIALIZER;

static void *forward(void *arg) {
  pthread_mutex_lock(&g_outer);
  pthread_mutex_lock(&g_mid1);
  pthread_mutex_lock(&g_mid2);
  pthread_mutex_lock(&g_last);
  pthread_mutex_unlock(&g_last);
  pthread_mutex_unlock(&g_mid2);
  pthread_mutex_unlock(&g_mid1);
  pthread_mutex_unlock(&g_outer);
  return arg;
}

static void *reverse(void *arg) {
  pthread_mutex_lock(&g_last);
  pthread_mutex_lock(&g_outer);
  pthread_mutex_unlock(&g_outer);
  pthread_mutex_unlock(&g_last);
  return arg;
}

int main(void) {
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, 0);
  pthread_join(t, 0);
  return 0;
}

// ALL: Cycle in lock order graph: g_last (0x{{[0-9a-f]+}}) => g_outer (0x{{[0-9a-f]+}}) => g_last{{$}}

// LIMITED-NOT: g_outer (0x{{[0-9a-f]+}}) => g_last
// LIMITED: Cycle in lock order graph: g_last (0x{{[0-9a-f]+}}) => g_outer (0x{{[0-9a-f]+}}) => g_mid1 (0x{{[0-9a-f]+}}) => g_last{{$}}
// LIMITED-NOT: g_outer (0x{{[0-9a-f]+}}) => g_last
