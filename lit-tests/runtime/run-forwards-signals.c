// A SIGTERM sent to `lockgraph run` (by `timeout`, a CI runner's cancel,
// `kill`) goes to the command, and lockgraph still reports what the command
// recorded before it ended: here a lock-order cycle, and that the command
// was killed by the signal.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -f %t.ready
// RUN: %python %S/Inputs/term-when-ready.py %t.ready %lockgraph run -- %t %t.ready 2>&1 | FileCheck %s
// CHECK: warning: potential deadlock: lock order cycle first -> second -> first [lockgraph-lock-order]
// CHECK: lockgraph: warning: the command was killed by a signal: Terminated
// CHECK: lockgraph exit status: 1
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;

static void *in_order(void *arg) {
  (void)arg;
  pthread_mutex_lock(&first);
  pthread_mutex_lock(&second);
  pthread_mutex_unlock(&second);
  pthread_mutex_unlock(&first);
  return 0;
}

static void *reversed(void *arg) {
  (void)arg;
  pthread_mutex_lock(&second);
  pthread_mutex_lock(&first);
  pthread_mutex_unlock(&first);
  pthread_mutex_unlock(&second);
  return 0;
}

int main(int argc, char **argv) {
  pthread_t t;
  pthread_create(&t, 0, in_order, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reversed, 0);
  pthread_join(t, 0);
  if (argc > 1) {
    FILE *ready = fopen(argv[1], "w");
    fclose(ready);
  }
  alarm(30); // a lockgraph that does not pass the SIGTERM on fails, not hangs
  for (;;)
    pause(); // until the SIGTERM
}
