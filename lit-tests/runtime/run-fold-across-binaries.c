// A test suite links its library into every test program: the same lock
// held across the same write in two programs is one finding, "(seen 2
// times in 2 processes)", although the code sits at other offsets in each
// binary.
// REQUIRES: runtime
// RUN: %clang %s -o %t.first
// RUN: %clang -DSECOND_PROGRAM %s -o %t.second
// RUN: not %lockgraph run -- sh -c '%t.first; %t.second' > %t.out 2>&1
// RUN: FileCheck %s < %t.out
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

#ifdef SECOND_PROGRAM
// Moves the library code below to another offset in this binary.
static volatile int padding[64];
static void other_test_code(void) {
  for (int i = 0; i < 64; i++)
    padding[i] = i * 3;
}
#endif

static void log_line(void) {
  pthread_mutex_lock(&log_mu);
  write(1, "", 0);
  // CHECK: run-fold-across-binaries.c:[[@LINE-1]]:{{[0-9]+}}: warning: blocking call 'write' while holding 'log_mu' (took {{.*}}) (seen 2 times in 2 processes) [lockgraph-blocking-under-lock]
  pthread_mutex_unlock(&log_mu);
}
// CHECK-NOT: warning:
// CHECK: 1 finding

int main(void) {
#ifdef SECOND_PROGRAM
  other_test_code();
#endif
  log_line();
  return 0;
}
