// xz's mythread_sync(): a lock scope made of a for loop whose test is
// `i ? (unlock(m), 0) : (lock(m), 1)`. The lock arm's value is 1 and the
// unlock arm's 0, so the analyzer knows, after the `?:`, that the body runs
// holding the lock and the loop ends with it released: no missing unlock,
// no double lock, no blocking call under it after the scope, and the
// order of two nested scopes is a real edge. The twin nests a -> b in one
// thread and b -> a in another: that cycle is reported, and nothing else.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/clean "" %s
// RUN: %lockgraph check -p %t/clean 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/cycle "-DREVERSED" %s
// RUN: not %lockgraph check -p %t/cycle 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <unistd.h>

#define SYNC(m)                                                                \
  for (unsigned sync_i = 0;                                                    \
       sync_i ? (pthread_mutex_unlock(&(m)), 0) : (pthread_mutex_lock(&(m)), 1); \
       sync_i = 1)                                                             \
    for (unsigned sync_j = 0; !sync_j; sync_j = 1)

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static int x, y;

static void bump(void) {
  SYNC(a) { x++; }
}

static void *worker(void *arg) {
  SYNC(a) {
    SYNC(b) { y++; }
  }
  bump();
  write(1, "", 0); // after the scope: a is not held
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
#ifdef REVERSED
  SYNC(b) {
    SYNC(a) { x++; }
  }
#else
  SYNC(a) {
    SYNC(b) { y++; }
  }
#endif
  pthread_join(t, 0);
  return 0;
}

// CLEAN-NOT: warning:
// CHECK: warning: potential deadlock: lock order cycle {{.*}}[lockgraph-lock-order]
