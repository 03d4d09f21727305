// Findings at one place about elements of one global array (memcached's
// crawler unlocking the LRU lock of whichever class it was at, which it
// does not hold) are one finding of `lockgraph run`, "(seen N times)", not
// one per element; another place stays its own finding.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK: run-fold-array-elements.c:[[@LINE+9]]:{{[0-9]+}}: warning: unlock of an unheld lock 'lru_locks[1]' (seen 3 times) [lockgraph-unlock-unheld]
// CHECK: run-fold-array-elements.c:[[@LINE+19]]:{{[0-9]+}}: warning: unlock of an unheld lock 'lru_locks[7]' [lockgraph-unlock-unheld]
#include <pthread.h>

static pthread_mutex_t lru_locks[8];

static void class_done(int id) {
  // Unlocks the lock of the class it is done with, which it does not hold
  // (an errorcheck mutex: EPERM, nothing happens).
  pthread_mutex_unlock(&lru_locks[id]);
}

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  for (int i = 0; i < 8; ++i)
    pthread_mutex_init(&lru_locks[i], &a);
  for (int i = 1; i < 4; ++i)
    class_done(i);
  pthread_mutex_unlock(&lru_locks[7]);
  return 0;
}
