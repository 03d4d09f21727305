// Locks taken in another library's constructor, possibly before the runtime's
// constructor ran, are recorded (the runtime initializes on first use): the
// constructor's early_a -> early_b and a fork child's early_b -> early_a are
// a cycle, which the merged graph of the two processes has. (In one process
// the constructor's pair comes before every thread main starts, and the
// start/join order rules out its cycle with any of them; the child's graph
// starts empty, without the constructor's pair.)
// REQUIRES: runtime
// RUN: %clang -shared -fPIC %S/Inputs/early_lock.c -o %t.so
// RUN: %clang %s %t.so -Wl,-rpath,%T -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
// RUN: not %lockgraph run --format=json -- %t 2>&1 | FileCheck %s --check-prefix=JSON
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

extern pthread_mutex_t early_a, early_b;

static void *rev(void *p) {
  pthread_mutex_lock(&early_b);
  pthread_mutex_lock(&early_a);
  pthread_mutex_unlock(&early_a);
  pthread_mutex_unlock(&early_b);
  return p;
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    pthread_t t;
    pthread_create(&t, 0, rev, 0);
    pthread_join(t, 0);
    return 0;
  }
  waitpid(pid, 0, 0);
  return 0;
}

// CHECK: lockgraph: 2 processes recorded
// CHECK-NEXT: early_lock.c:10:{{[0-9]+}}: warning: potential deadlock: lock order cycle early_a -> early_b -> early_a [lockgraph-lock-order]
// CHECK-NEXT: early_lock.c:9:{{[0-9]+}}: note: 'early_a' acquired here
// CHECK-NEXT: early_lock.c:10:{{[0-9]+}}: note: 'early_b' acquired here while holding 'early_a' in thread 'T0'
// CHECK-NEXT: static-init-order.c:20:{{[0-9]+}}: note: 'early_b' acquired here
// CHECK-NEXT: static-init-order.c:21:{{[0-9]+}}: note: 'early_a' acquired here while holding 'early_b' in thread 'T1'
// CHECK: 1 finding.

// The constructor's frame, symbolized.
// JSON: "message": "potential deadlock: lock order cycle early_a -> early_b -> early_a",
// JSON-NEXT: "location": {
// JSON-NEXT: "function": "early_init",
// JSON-NEXT: "file": "{{.*}}early_lock.c",
// JSON-NEXT: "line": 10,
