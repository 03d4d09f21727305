// Taking the write lock of an rwlock the thread holds for reading hangs
// forever (glibc does not detect it): reported as a self-deadlock before the
// real call. A second read lock is fine and silent.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=abort_on_deadlock=1 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t read 2>&1 | count 0
#include <pthread.h>
#include <string.h>
#include <unistd.h>

pthread_rwlock_t g_table_lock = PTHREAD_RWLOCK_INITIALIZER;

int main(int argc, char **argv) {
  alarm(30);
  pthread_rwlock_rdlock(&g_table_lock);
  if (argc > 1 && strcmp(argv[1], "read") == 0) {
    pthread_rwlock_rdlock(&g_table_lock);
    pthread_rwlock_unlock(&g_table_lock);
  } else {
    pthread_rwlock_wrlock(&g_table_lock);
  }
  pthread_rwlock_unlock(&g_table_lock);
  return 0;
}

// CHECK: WARNING: lockgraph: recursive lock of a non-recursive lock (self-deadlock)
// CHECK-NEXT: Thread T0 locks again 'g_table_lock'
// CHECK: SUMMARY: lockgraph: double-lock {{.*}}rwlock-upgrade.c:21:{{[0-9]+}} in main
