// A call that takes a lock its caller holds is no double lock when the
// callee also hands that lock over somewhere (libuv's test-async: main locks
// a mutex before uv_run, whose prepare callback unlocks it and whose async
// callback locks it): in which order the callbacks run is not known. When
// nothing releases it (KEEPS_LOCK), the double lock is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/keeps "-DKEEPS_LOCK" %s
// RUN: not %lockgraph check -p %t/keeps 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
struct handle {
  void (*cb)(void);
};
static struct handle first, second;

static void start(struct handle *h, void (*cb)(void)) { h->cb = cb; }

static void run(void) {
  first.cb();
  second.cb();
}

static void release_cb(void) {
#ifndef KEEPS_LOCK
  pthread_mutex_unlock(&mutex);
#endif
}

static void count_cb(void) {
  pthread_mutex_lock(&mutex);
  pthread_mutex_unlock(&mutex);
}

int main(void) {
  pthread_mutex_lock(&mutex);
  start(&first, release_cb);
  start(&second, count_cb);
  run();
  // CHECK: double-lock-handed-over.c:[[@LINE-1]]:3: warning: double lock of 'mutex': 'run' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  // CHECK-NEXT: double-lock-handed-over.c:37:3: note: 'mutex' first acquired here
  // CHECK-NEXT: double-lock-handed-over.c:32:3: note: 'mutex' acquired again here
  // CHECK-NEXT: double-lock-handed-over.c:21:3: note: 'count_cb' called here
#ifdef KEEPS_LOCK
  pthread_mutex_unlock(&mutex);
#endif
  return 0;
}
