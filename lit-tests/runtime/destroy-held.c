// Destroying a mutex its thread still holds is reported; log_path sends the
// report to <log_path>.<pid> instead of stderr.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: rm -f %t.log.*
// RUN: %env_lg_opts=log_path=%t.log LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: cat %t.log.* | FileCheck %s
#include <pthread.h>

int main(void) {
  pthread_mutex_t mu;
  pthread_mutex_init(&mu, 0);
  pthread_mutex_lock(&mu);
  pthread_mutex_destroy(&mu);
  return 0;
}

// CHECK: WARNING: lockgraph: destroy of a held lock (pid={{[0-9]+}})
// CHECK-NEXT: Thread T0 destroys 'mutex@destroy-held.c:14' (0x{{[0-9a-f]+}}) at:
// CHECK: #{{[0-9]+}} main {{.*}}destroy-held.c:15
// CHECK: 'mutex@destroy-held.c:14' was acquired by the same thread at:
// CHECK: SUMMARY: lockgraph: destroy-held {{.*}}destroy-held.c:15:{{[0-9]+}} in main
