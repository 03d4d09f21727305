// A signal handler that longjmps out of a blocking call leaves the call
// unfinished for the runtime, but the thread is no longer blocked in it:
// while it then computes holding `registry` (runnable, for 2 s) and another
// thread waits for `registry` longer than stall_seconds, that is no stall.
// Twin: the same thread blocked in read() for the 2 s is one.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=stall_seconds=1:watchdog_interval_ms=100 LD_PRELOAD=%preload %t jump 2>&1 | FileCheck %s --check-prefix=JUMP
// RUN: %env_lg_opts=stall_seconds=1:watchdog_interval_ms=100 LD_PRELOAD=%preload %t block 2>&1 | FileCheck %s --check-prefix=BLOCK
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static sigjmp_buf out_of_read;
static volatile int holding;

static void on_alarm(int sig) {
  (void)sig;
  siglongjmp(out_of_read, 1);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *waiter(void *arg) {
  while (!holding)
    usleep(1000);
  pthread_mutex_lock(&registry);
  pthread_mutex_unlock(&registry);
  return arg;
}

int main(int argc, char **argv) {
  int jump = strcmp(argv[1], "jump") == 0;
  int fds[2];
  pipe(fds);
  signal(SIGALRM, on_alarm);
  pthread_t t;
  pthread_create(&t, 0, waiter, 0);
  pthread_mutex_lock(&registry);
  holding = 1;
  if (jump) {
    char c;
    if (sigsetjmp(out_of_read, 1) == 0) {
      ualarm(100000, 0);
      read(fds[0], &c, 1); // never returns: the handler jumps out
    }
    for (double end = now() + 2; now() < end;) // runnable, holding registry
      ;
  } else {
    write(fds[1], "x", 1);
    sleep(2);
  }
  pthread_mutex_unlock(&registry);
  pthread_join(t, 0);
  fprintf(stderr, "finished\n");
  return 0;
}

// JUMP-NOT: stall
// JUMP: finished
// BLOCK: WARNING: lockgraph: stall
// BLOCK: has been in sleep for
// BLOCK: finished
