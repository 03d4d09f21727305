// exec replaces the process image without running exit handlers: the cycle
// recorded before the exec (between two threads run one after the other) is
// still reported, and its graph is written (next to the graph of the new
// image, which has the same pid).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %env_lg_opts=output_dir=%t.dir LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: ls %t.dir | FileCheck %s --check-prefix=FILES
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *fwd(void *p) {
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *rev(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

int main(int argc, char **argv) {
  if (argc > 1)
    return 0; // the new image
  pthread_t t;
  pthread_create(&t, 0, fwd, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  char *args[] = {argv[0], "again", 0};
  execv(argv[0], args);
  return 1;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_a
// FILES-DAG: lockgraph.{{[0-9]+}}.exec-{{[0-9a-f]+}}.json
// FILES-DAG: lockgraph.{{[0-9]+}}.json
