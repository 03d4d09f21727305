// A fork child starts with an empty graph and with its own call-path
// counts: a path the parent filled up (max_edges_per_path) records again in
// the child, so the child's outer -> items[1500], taken the way the parent
// took 2,000 item locks, is in its graph (and it notes no acquisition left
// unrecorded). The parent sampled that pair out: its reverse, which the
// parent takes after the child ended, makes a cycle in neither process
// alone, only in their merged graph. (A thread of the child could not take
// the reverse: started after the walk, its start orders it after the walk;
// started before, it puts the walk in a new segment of the child, whose
// call paths record afresh, fork or not.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=ALONE
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
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
    fprintf(stderr, "child done\n");
    exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  run(reversed);
  fprintf(stderr, "parent done\n");
  return 0;
}

// ALONE-NOT: WARNING: lockgraph
// ALONE: child done
// ALONE-NEXT: parent done
// ALONE-NEXT: lockgraph: note: 976 lock acquisitions were not recorded
// ALONE-NOT: WARNING: lockgraph

// CHECK: child done
// CHECK-NEXT: parent done
// CHECK-NEXT: lockgraph: 2 processes recorded
// CHECK-NEXT: warning: potential deadlock: lock order cycle {{items\[1500\] -> outer -> items\[1500\]|outer -> items\[1500\] -> outer}}
// CHECK: path-budget-fork.c:28:{{[0-9]+}}: note: 'items[1500]' acquired here while holding 'outer' in thread 'T0'
// CHECK-NEXT: path-budget-fork.c:50:{{[0-9]+}}: note: 'walk_items' called here
// CHECK-NOT: warning:
// CHECK: 1 finding.
