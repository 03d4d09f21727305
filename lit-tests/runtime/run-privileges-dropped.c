// A command run as root that drops its privileges (a server's `-u nobody`)
// still gets its lock graph into the run's report: the run directory lets
// any user write a graph, though not list or remove the others'.
// REQUIRES: runtime, root
// RUN: %clang %s -o %t
// RUN: rm -rf /tmp/lockgraph-lit-setuid && mkdir -m 755 /tmp/lockgraph-lit-setuid
// RUN: env TMPDIR=/tmp/lockgraph-lit-setuid not %lockgraph run -- %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *reversed(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

int main(void) {
  if (setgid(65534) != 0 || setuid(65534) != 0)
    return 2;
  fprintf(stderr, "running as uid %d\n", (int)getuid());
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  pthread_t t;
  pthread_create(&t, 0, reversed, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: running as uid 65534
// CHECK-NOT: cannot write graph file
// CHECK: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a
// RUN: rm -rf /tmp/lockgraph-lit-setuid
