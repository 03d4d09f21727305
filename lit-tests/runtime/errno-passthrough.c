// The runtime never changes errno or return values: a lock leaves errno as
// it was, and a failing blocking call under a lock keeps its own errno even
// though it is reported.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  errno = 1234;
  pthread_mutex_lock(&g_mu);
  int e1 = errno;
  char c;
  ssize_t r = read(-1, &c, 1);
  int e2 = errno;
  errno = 4321;
  pthread_mutex_unlock(&g_mu);
  int e3 = errno;
  int busy;
  pthread_mutex_lock(&g_mu);
  pthread_t t;
  busy = pthread_mutex_trylock(&g_mu) ; // relock by owner: EBUSY, no report
  pthread_mutex_unlock(&g_mu);
  (void)t;
  fprintf(stderr, "after lock: %d\nread: %zd %s\nafter unlock: %d\ntrylock: %s\n",
          e1, r, e2 == EBADF ? "EBADF" : "other", e3,
          busy == EBUSY ? "EBUSY" : "other");
  return 0;
}

// CHECK: after lock: 1234
// CHECK-NEXT: read: -1 EBADF
// CHECK-NEXT: after unlock: 4321
// CHECK-NEXT: trylock: EBUSY
// CHECK-NEXT: ==================
// CHECK-NEXT: WARNING: lockgraph: blocking call 'read' while holding a lock
// CHECK-NOT: WARNING
