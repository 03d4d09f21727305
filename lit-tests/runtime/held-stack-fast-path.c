// The stack shown for a held lock is where that acquisition came from, also
// when the mutex fast path took it: it keeps the stack of the last
// acquisition from the same place while every frame of it is unchanged.
// Here the lock is taken three calls below from_a() 100 times, then from
// from_b() at the same stack depth, then from from_a() called from another
// line of main() (the same frames up to from_a, at the same depth): the
// writes under it show the lock acquired under from_b(), then under the
// second call of from_a().
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int null_fd;

__attribute__((noinline)) static void lock_log(void) {
  pthread_mutex_lock(&log_mu);
}
__attribute__((noinline)) static void enter_log(void) { lock_log(); }
__attribute__((noinline)) static void begin_log(void) { enter_log(); }

__attribute__((noinline)) static void from_a(int n) {
  begin_log();
  write(null_fd, "a", n);
  pthread_mutex_unlock(&log_mu);
}

__attribute__((noinline)) static void from_b(int n) {
  begin_log();
  write(null_fd, "b", n);
  pthread_mutex_unlock(&log_mu);
}

int main(void) {
  null_fd = open("/dev/null", O_WRONLY);
  for (int i = 0; i < 100; ++i)
    from_a(1);
  from_b(1);
  from_a(1);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: #{{[0-9]+}} from_a {{.*}}held-stack-fast-path.c:27
// CHECK: 'log_mu' {{.*}}acquired at:
// CHECK: #{{[0-9]+}} from_a {{.*}}held-stack-fast-path.c:26
// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: #{{[0-9]+}} from_b {{.*}}held-stack-fast-path.c:33
// CHECK: 'log_mu' {{.*}}acquired at:
// CHECK-NOT: from_a
// CHECK: #{{[0-9]+}} from_b {{.*}}held-stack-fast-path.c:32
// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: #{{[0-9]+}} main {{.*}}held-stack-fast-path.c:42
// CHECK: 'log_mu' {{.*}}acquired at:
// CHECK: #{{[0-9]+}} from_a {{.*}}held-stack-fast-path.c:26
// CHECK-NEXT: #{{[0-9]+}} main {{.*}}held-stack-fast-path.c:42
