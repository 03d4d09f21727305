// A blocking call made in a signal handler that interrupted the thread while
// it held a lock (libuv's SIGCHLD handler writing to its pipe while
// uv_spawn holds cloexec_lock) is reported as such: the lock is the
// interrupted code's, not the handler's. The same call made outside a
// handler under the lock says nothing of the kind.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=PRELOAD
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static pthread_mutex_t L = PTHREAD_MUTEX_INITIALIZER;
static int fds[2];

static void on_usr1(int sig) {
  (void)sig;
  (void)!write(fds[1], "x", 1);
}

int main(void) {
  if (pipe(fds))
    return 1;
  signal(SIGUSR1, on_usr1);
  pthread_mutex_lock(&L);
  raise(SIGUSR1);
  (void)!write(fds[1], "y", 1);
  pthread_mutex_unlock(&L);
  return 0;
}

// CHECK: blocking-in-signal-handler.c:19:10: warning: blocking call 'write' while holding 'L'
// CHECK-NEXT: blocking-in-signal-handler.c:19:10: note: 'write' is called in a signal handler, which interrupted the thread while it held the locks
// CHECK: blocking-in-signal-handler.c:28:10: warning: blocking call 'write' while holding 'L'
// CHECK-NOT: signal handler
// CHECK: 2 findings.

// PRELOAD: write was called in a signal handler, which interrupted the thread while it held the locks
