// Locking a non-recursive mutex the thread already holds hangs forever: it is
// reported before the real call, and abort_on_deadlock=1 aborts instead of
// hanging. A recursive mutex locked twice is fine and silent.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=abort_on_deadlock=1 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t recursive 2>&1 | count 0
#include <pthread.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_rec;

int main(int argc, char **argv) {
  alarm(30); // never hang the test run
  if (argc > 1 && strcmp(argv[1], "recursive") == 0) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&g_rec, &a);
    pthread_mutex_lock(&g_rec);
    pthread_mutex_lock(&g_rec);
    pthread_mutex_unlock(&g_rec);
    pthread_mutex_unlock(&g_rec);
    return 0;
  }
  pthread_mutex_lock(&g_mu);
  pthread_mutex_lock(&g_mu);
  return 0;
}

// CHECK: WARNING: lockgraph: recursive lock of a non-recursive lock (self-deadlock) (pid={{[0-9]+}})
// CHECK-NEXT: Thread T0 locks again 'g_mu' (0x{{[0-9a-f]+}}) at:
// CHECK: #{{[0-9]+}} main {{.*}}double-lock.c:29
// CHECK: 'g_mu' was acquired by the same thread at:
// CHECK: #{{[0-9]+}} main {{.*}}double-lock.c:28
// CHECK: SUMMARY: lockgraph: double-lock {{.*}}double-lock.c:29:{{[0-9]+}} in main
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
