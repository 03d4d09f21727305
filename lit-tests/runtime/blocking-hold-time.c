// A blocking-call report says how long each held lock had been held when the
// call returned (measured from a timestamp taken at each acquisition), in
// the printed block and in the recorded finding, with hold_time=1; by
// default (hold_time=0) it takes no timestamps and says nothing about it.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=hold_time=1 LD_PRELOAD=%preload %t 2>&1 >/dev/null | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t 2>&1 >/dev/null | FileCheck %s --check-prefix=OFF
// RUN: not %lockgraph run --runtime-options=hold_time=1 -- %t 2>&1 | FileCheck %s --check-prefix=FINDING
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t g_outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_inner = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  pthread_mutex_lock(&g_outer);
  pthread_mutex_lock(&g_inner);
  write(1, "x\n", 2);
  pthread_mutex_unlock(&g_inner);
  pthread_mutex_unlock(&g_outer);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: 'g_outer' (0x{{[0-9a-f]+}}) was acquired at:
// CHECK: 'g_outer' had been held for {{[0-9]+\.[0-9]+}} ms when write returned
// CHECK: 'g_inner' (0x{{[0-9a-f]+}}) was acquired at:
// CHECK: 'g_inner' had been held for {{[0-9]+\.[0-9]+}} ms when write returned

// OFF: WARNING: lockgraph: blocking call 'write' while holding a lock
// OFF-NOT: had been held

// FINDING: warning: blocking call 'write' while holding 'g_outer', 'g_inner' (took {{[0-9.]+}} ms; 'g_outer' held for {{[0-9.]+}} ms; 'g_inner' held for {{[0-9.]+}} ms) [lockgraph-blocking-under-lock]
