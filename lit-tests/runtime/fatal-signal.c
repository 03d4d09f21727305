// A process that dies of a fatal signal runs no exit handlers: the runtime's
// own handler (installed only where the program has none) writes the report
// and the graph file first, then the signal kills the process as it would
// have (the exit status is still the signal's). The program cannot tell:
// sigaction() and signal() read back SIG_DFL, its own handlers are left
// alone (one that ends the process with _exit gets the report from _exit,
// with the handler's exit status), and a crash handler that restores
// SIG_DFL and re-raises gets the report too.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: sh -c 'LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=output_dir=%t.dir %t abort; echo "status=$?"' > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=ABORT < %t.out
// RUN: ls %t.dir | FileCheck %s --check-prefix=FILE
// RUN: sh -c 'LD_PRELOAD=%preload %t segv; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=SEGV
// RUN: sh -c '%t segv; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=NATIVE-SEGV
// RUN: sh -c 'LD_PRELOAD=%preload %t query; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=QUERY
// RUN: sh -c 'LD_PRELOAD=%preload %t own; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=OWN
// RUN: sh -c 'LD_PRELOAD=%preload %t reraise; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=RERAISE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *ab(void *p) {
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *ba(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

static void own_handler(int sig) {
  (void)sig;
  write(1, "own handler\n", 12);
  _exit(3);
}

static void crash_handler(int sig) {
  write(1, "crash handler\n", 14);
  signal(sig, SIG_DFL);
  raise(sig);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "abort";
  if (strcmp(mode, "query") == 0) {
    struct sigaction old;
    sigaction(SIGSEGV, NULL, &old);
    printf("SIGSEGV default: %d\n", old.sa_handler == SIG_DFL);
    printf("SIGABRT default: %d\n", signal(SIGABRT, SIG_IGN) == SIG_DFL);
    printf("SIGABRT ignored: %d\n", signal(SIGABRT, SIG_DFL) == SIG_IGN);
    sigaction(SIGABRT, NULL, &old);
    printf("SIGABRT default again: %d\n", old.sa_handler == SIG_DFL);
    return 0;
  }
  if (strcmp(mode, "own") == 0)
    signal(SIGABRT, own_handler);
  if (strcmp(mode, "reraise") == 0)
    signal(SIGSEGV, crash_handler);
  pthread_t t;
  pthread_create(&t, 0, ab, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, ba, 0);
  pthread_join(t, 0);
  fflush(stdout);
  if (strcmp(mode, "segv") == 0 || strcmp(mode, "reraise") == 0)
    *(volatile int *)0 = 1;
  abort();
}

// ABORT: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// ABORT-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_a
// ABORT: status=134
// FILE: lockgraph.{{[0-9]+}}.json

// SEGV: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// SEGV: status=139
// NATIVE-SEGV: status=139

// QUERY: SIGSEGV default: 1
// QUERY-NEXT: SIGABRT default: 1
// QUERY-NEXT: SIGABRT ignored: 1
// QUERY-NEXT: SIGABRT default again: 1
// QUERY-NEXT: status=0

// OWN-NOT: WARNING
// OWN: own handler
// OWN: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// OWN: status=3

// RERAISE: crash handler
// RERAISE: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// RERAISE: status=139
