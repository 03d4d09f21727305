// Blocking calls made while holding a lock are reported once per call site:
// write, sleep/usleep/nanosleep and stdio (printf does not reach write).
// The same calls without a lock held are silent.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t locked 2>&1 >/dev/null | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 >/dev/null | count 0
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  int locked = argc > 1 && strcmp(argv[1], "locked") == 0;
  if (locked)
    pthread_mutex_lock(&g_log_mu);
  write(1, "x\n", 2);
  usleep(1000);
  struct timespec ts = {0, 1000000};
  nanosleep(&ts, 0);
  printf("value %d\n", 42);
  fflush(stdout);
  if (locked)
    pthread_mutex_unlock(&g_log_mu);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock (pid={{[0-9]+}})
// CHECK-NEXT: Thread T0 called write (took {{[0-9.]+}} ms) while holding 'g_log_mu', at:
// CHECK: #{{[0-9]+}} main {{.*}}blocking-calls.c:20
// CHECK: 'g_log_mu' (0x{{[0-9a-f]+}}) was acquired at:
// CHECK: #{{[0-9]+}} main {{.*}}blocking-calls.c:19
// CHECK: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-calls.c:20:{{[0-9]+}} in main
// CHECK: WARNING: lockgraph: blocking call 'usleep' while holding a lock
// CHECK: WARNING: lockgraph: blocking call 'nanosleep' while holding a lock
// CHECK: WARNING: lockgraph: blocking call 'printf' while holding a lock
// CHECK: WARNING: lockgraph: blocking call 'fflush' while holding a lock
