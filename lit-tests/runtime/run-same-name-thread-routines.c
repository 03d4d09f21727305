// Two programs of one suite each start a file-static `worker`, but not the
// same function: the first's takes no lock and is joined while `L` is held;
// the second's takes `L`. Threads of two routines of one name are two
// classes, told apart by where each routine is defined, as file-static
// locks of one name are: no cycle `L -> thread:worker -> L` (there was one).
// Threads of one routine started at one place are still one class: the
// third program joins, holding `L`, a thread of the class whose other
// thread takes `L` (not this one, or it would hang), which is a cycle.
// REQUIRES: runtime
// RUN: %clang -DFIRST %s -o %t.first
// RUN: %clang %s -o %t.second
// RUN: %clang -DTHIRD %s -o %t.third
// RUN: not %lockgraph run -- sh -c '%t.first; %t.second' 2>&1 | FileCheck %s --check-prefix=APART --implicit-check-not=wait-holding-lock
// RUN: not %lockgraph run -- sh -c '%t.third; %t.second' 2>&1 | FileCheck %s --check-prefix=SAME
#include <pthread.h>

pthread_mutex_t L = PTHREAD_MUTEX_INITIALIZER;

#ifdef FIRST
static void *worker(void *arg) { return arg; }
#else
// Takes L when asked to.
static void *worker(void *take) {
  if (take) {
    pthread_mutex_lock(&L);
    pthread_mutex_unlock(&L);
  }
  return take;
}
#endif

int main(void) {
  pthread_t t;
#if defined(FIRST)
  pthread_mutex_lock(&L);
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, 0);
  pthread_mutex_unlock(&L);
#elif defined(THIRD)
  for (int i = 0; i < 2; i++) {
    if (i == 0)
      pthread_mutex_lock(&L);
    pthread_create(&t, 0, worker, i == 0 ? 0 : &t);
    pthread_join(t, 0);
    if (i == 0)
      pthread_mutex_unlock(&L);
  }
#else
  pthread_create(&t, 0, worker, &t);
  pthread_join(t, 0);
#endif
  return 0;
}

// APART: warning: blocking call 'pthread_join' while holding 'L'

// SAME: warning: potential deadlock: joining 'thread:worker' while holding 'L', which the joined thread acquires: cycle L -> thread:worker -> L [lockgraph-wait-holding-lock]
