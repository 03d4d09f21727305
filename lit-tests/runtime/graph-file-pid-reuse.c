// A process whose pid an earlier process of the same run had (pids wrap on
// a long test suite) must not replace that process's graph file: it writes
// lockgraph.<pid>.2.json next to it. The shell plants lockgraph.<pid>.json
// and execs the program, which keeps the shell's pid.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: sh -c 'echo earlier > %t.dir/lockgraph.$$.json; LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=output_dir=%t.dir:report_at_exit=0 exec %t'
// RUN: ls %t.dir | FileCheck %s --check-prefix=FILES
// RUN: grep -l "^earlier$" %t.dir/lockgraph.*.json | FileCheck %s --check-prefix=EARLIER
// RUN: not %lockgraph report %t.dir/lockgraph.*.2.json 2>&1 | FileCheck %s
#include <pthread.h>

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

int main(void) {
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, ba, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, ab, 0);
  pthread_join(t, 0);
  return 0;
}

// FILES: lockgraph.[[PID:[0-9]+]].2.json
// FILES-NEXT: lockgraph.[[PID]].json
// FILES-NOT: tmp
// EARLIER: {{/lockgraph\.[0-9]+\.json$}}
// CHECK: warning: potential deadlock: lock order cycle
