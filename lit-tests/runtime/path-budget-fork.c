// A fork child starts with an empty graph and with its own call-path
// counts: a path the parent filled up (max_edges_per_path) records again in
// the child, so the child's outer -> items[1500], taken the way the parent
// took 2,000 item locks, and its thread's reverse are a cycle, which the
// child reports. The parent never takes the reverse and reports nothing.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include "Inputs/path_budget.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Many = 2000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t items[Many];

static void walk_items(int from, int to) {
  pthread_mutex_lock(&outer);
  for (int i = from; i < to; ++i) {
    pthread_mutex_lock(&items[i]);
    pthread_mutex_unlock(&items[i]);
  }
  pthread_mutex_unlock(&outer);
}

static void *reversed(void *p) {
  pthread_mutex_lock(&items[1500]);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_unlock(&items[1500]);
  return p;
}

int main(void) {
  touch(&outer);
  init_and_touch(items, Many);
  // Both walks from one call site: one call path.
  pid_t pid = -1;
  for (int round = 0; round < 2; ++round) {
    if (round == 1 && (pid = fork()) != 0)
      break;
    walk_items(round ? 1500 : 0, round ? 1501 : Many);
  }
  if (pid == 0) {
    run(reversed);
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
// CHECK-NEXT: ==================
// CHECK-NEXT: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: {{items\+60000 \(.*\) => outer|outer \(.*\) => items\+60000}}
// CHECK: SUMMARY: lockgraph: lock-order-inversion
// CHECK-NOT: WARNING: lockgraph
// CHECK: parent done
// CHECK-NOT: WARNING: lockgraph
