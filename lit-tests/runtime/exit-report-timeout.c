// The exit report must not keep a process from ending: when it does not
// finish within report_timeout seconds (here a symbolizer that hangs), the
// process exits without it, with its own exit status, after one line that
// says so; at exit() and at _exit() alike. With a working symbolizer the
// same runs report as usual.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: printf '#!/bin/sh\nexec sleep 5\n' > %t.hang && chmod +x %t.hang
// RUN: sh -c 'LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=symbolizer=%t.hang:report_timeout=1 %t exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=HANG
// RUN: sh -c 'LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=symbolizer=%t.hang:report_timeout=1 %t _exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=HANG
// RUN: sh -c 'LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=report_timeout=1 %t exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=OK
#include <pthread.h>
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

int main(int argc, char **argv) {
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, ab, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, ba, 0);
  pthread_join(t, 0);
  if (argc > 1 && strcmp(argv[1], "_exit") == 0)
    _exit(7);
  exit(7);
}

// HANG: lockgraph: the exit report did not finish in 1 s; exiting without it (report_timeout)
// HANG-NEXT: status=7

// OK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// OK-NOT: did not finish
// OK: status=7
