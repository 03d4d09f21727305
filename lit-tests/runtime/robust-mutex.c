// A robust mutex whose owner died is acquired with EOWNERDEAD: the caller
// holds it (and makes it consistent). The runtime counts it as held like a
// lock that returned 0: the unlock is not "unlock of an unheld lock", and a
// write while holding it is reported. The output is the same as without the
// preload.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %t > %t.native
// RUN: env LD_PRELOAD=%preload %t > %t.preload 2> %t.err
// RUN: diff %t.native %t.preload
// RUN: FileCheck %s --check-prefix=OUT < %t.preload
// RUN: FileCheck %s < %t.err
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t g_state_mu;

static void *owner_dies(void *p) {
  pthread_mutex_lock(&g_state_mu);
  return p; // exits holding the lock
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&g_state_mu, &attr);
  pthread_t t;
  pthread_create(&t, 0, owner_dies, 0);
  pthread_join(t, 0);
  int r = pthread_mutex_lock(&g_state_mu);
  printf("lock: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : "unexpected");
  fflush(stdout);
  if (r == EOWNERDEAD)
    pthread_mutex_consistent(&g_state_mu);
  write(2, "repairing\n", 10);
  printf("unlock: %d\n", pthread_mutex_unlock(&g_state_mu));
  printf("relock: %d\n", pthread_mutex_lock(&g_state_mu));
  printf("unlock: %d\n", pthread_mutex_unlock(&g_state_mu));
  return 0;
}

// OUT: lock: EOWNERDEAD
// OUT-NEXT: unlock: 0
// OUT-NEXT: relock: 0
// OUT-NEXT: unlock: 0

// CHECK-NOT: unheld
// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: 'g_state_mu'
// CHECK-NOT: unheld
