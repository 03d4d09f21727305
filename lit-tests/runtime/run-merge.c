// lockgraph run: every process of the command writes its graph; the graphs
// are merged, so a -> b in one process and b -> a in another is a cycle.
// Each process alone is clean.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- sh -c '%t; %t reverse' > %t.out 2> %t.err
// RUN: FileCheck %s < %t.out
// RUN: FileCheck %s --check-prefix=STDERR < %t.err
// RUN: %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %lockgraph run -- %t reverse 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: rm -rf %t.graphs
// RUN: not %lockgraph run --keep-graphs=%t.graphs --format=sarif -o %t.sarif -- sh -c '%t && %t reverse'
// RUN: ls %t.graphs | FileCheck %s --check-prefix=KEPT
// RUN: FileCheck %s --check-prefix=SARIF < %t.sarif
// RUN: not %lockgraph run -- sh -c 'exit 7' 2>&1 | FileCheck %s --check-prefix=FAILED
// RUN: sh -c '%lockgraph run 2>&1; test $? -eq 2' | FileCheck %s --check-prefix=USAGE
#include <pthread.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  pthread_mutex_t *first = argc > 1 ? &mu_b : &mu_a;
  pthread_mutex_t *second = argc > 1 ? &mu_a : &mu_b;
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
  return 0;
}

// CHECK: run-merge.c:26:{{[0-9]+}}: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a [lockgraph-lock-order]
// STDERR: lockgraph: {{[2-9]}} processes recorded, 2 locks in the graph, 2 lock-order edges
// CLEAN: lockgraph: 1 process recorded, 2 locks in the graph, 1 lock-order edge{{$}}
// CLEAN-NOT: warning:
// KEPT: lockgraph.{{[0-9]+}}.json
// SARIF: "ruleId": "lockgraph-lock-order"
// FAILED: lockgraph: warning: the command exited with status 7
// USAGE: lockgraph: Not enough positional command line arguments specified!
