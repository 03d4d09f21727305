// A child forked while the parent holds a lock keeps holding it (unlocking it
// is not a misuse), starts with an empty graph and writes its own graph file.
// The parent's a -> b and the child's b -> a are in different graphs, so
// neither process reports a cycle by itself.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %env_lg_opts=output_dir=%t.dir LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: ls %t.dir | count 2
// RUN: cat %t.dir/*.json | FileCheck %s --check-prefix=GRAPH
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *in_thread(void *p) {
  pthread_mutex_lock(&mu_a);
  pid_t pid = fork();
  if (pid == 0) {
    pthread_mutex_unlock(&mu_a);
    pthread_mutex_lock(&mu_b);
    pthread_mutex_lock(&mu_a);
    pthread_mutex_unlock(&mu_a);
    pthread_mutex_unlock(&mu_b);
    fprintf(stderr, "child done\n");
    exit(0);
  }
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  int status;
  waitpid(pid, &status, 0);
  fprintf(stderr, "child status %d\n", WEXITSTATUS(status));
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, in_thread, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK-NOT: WARNING: lockgraph
// CHECK-DAG: child done
// CHECK-DAG: child status 0
// CHECK-NOT: WARNING: lockgraph
// GRAPH-DAG: "mu_a"
// GRAPH-DAG: "mu_b"
