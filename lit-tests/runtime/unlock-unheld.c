// Unlocking a mutex the thread does not hold is reported (once per site);
// the real call's result passes through unchanged. Such findings are
// captured in the hook and printed later (by the watchdog, or at exit), never
// from inside the hook.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t g_mu;

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&g_mu, &a);
  int rc = pthread_mutex_unlock(&g_mu);
  fprintf(stderr, "rc=%s\n", rc == EPERM ? "EPERM" : "other");
  return 0;
}

// CHECK: rc=EPERM
// CHECK: WARNING: lockgraph: unlock of an unheld lock (pid={{[0-9]+}})
// CHECK-NEXT: Thread T0 unlocks 'g_mu' (0x{{[0-9a-f]+}}), which it does not hold, at:
// CHECK: #{{[0-9]+}} main {{.*}}unlock-unheld.c:19
// CHECK: SUMMARY: lockgraph: unlock-unheld {{.*}}unlock-unheld.c:19:{{[0-9]+}} in main
