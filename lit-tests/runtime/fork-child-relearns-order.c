// A fork child starts with an empty graph, so an order the parent recorded
// is recorded again when the child takes it, even in the same way from the
// same place: the child's a -> b and its thread's b -> a are a cycle of the
// child's own graph. The child takes a -> b before it starts that thread,
// so the cycle is ruled out there (start/join order) and nothing is
// reported; had the child not recorded a -> b again, the cycle would be the
// parent's a -> b and the child's b -> a, which no one process saw whole, and
// `lockgraph run` would report it. The parent never takes b -> a.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: %lockgraph run --show-suppressed -- %t 2>&1 | FileCheck %s --check-prefix=MERGED
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void both(pthread_mutex_t *outer, pthread_mutex_t *inner) {
  pthread_mutex_lock(outer);
  pthread_mutex_lock(inner);
  pthread_mutex_unlock(inner);
  pthread_mutex_unlock(outer);
}

static void *reversed(void *p) {
  both(&mu_b, &mu_a);
  return p;
}

int main(void) {
  for (int i = 0; i < 2; ++i)
    both(&mu_a, &mu_b);
  pid_t pid = fork();
  if (pid == 0) {
    both(&mu_a, &mu_b);
    pthread_t t;
    pthread_create(&t, 0, reversed, 0);
    pthread_join(t, 0);
    fprintf(stderr, "child done\n");
    exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  fprintf(stderr, "parent done\n");
  return 0;
}

// CHECK-NOT: WARNING: lockgraph
// CHECK: child done
// CHECK-NOT: WARNING: lockgraph
// CHECK: parent done
// CHECK-NOT: WARNING: lockgraph

// MERGED: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a [lockgraph-lock-order]
// MERGED-NEXT: note: not reported: start/join order: 'mu_a' -> 'mu_b' (thread 'T0') and 'mu_b' -> 'mu_a' (thread 'T{{[0-9]+}}')
// MERGED-NOT: warning:
// MERGED: 0 findings (1 more ruled out
