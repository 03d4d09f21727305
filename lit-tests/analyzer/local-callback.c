// A call through a local function-pointer variable calls the functions
// stored in it in its function (here through a conditional): run() calls
// take_b (or quiet) holding a, and rev() takes b before a. A local set from
// the function's own parameter is not followed (what callers pass is per
// call site): guarded() relays a callback that takes no lock while holding
// a, and only unguarded() relays take_c, so there is no a -> c edge to close
// a cycle with rev_c(). Run without a (UNLOCKED), there is no cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: %lockgraph check -p %t/unlocked 2>&1 | count 0
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;

static void take_b(void) {
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
}
static void take_c(void) {
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
}
static void quiet(void) {}

void run(int which) {
  void (*fn)(void) = which ? take_b : quiet;
#ifndef UNLOCKED
  pthread_mutex_lock(&a);
#endif
  fn();
#ifndef UNLOCKED
  pthread_mutex_unlock(&a);
#endif
}

void relay(void (*cb)(void)) {
  void (*f)(void) = cb;
  f();
}

void guarded(void) {
  pthread_mutex_lock(&a);
  relay(quiet);
  pthread_mutex_unlock(&a);
}

void unguarded(void) { relay(take_c); }

void rev(void) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
}

void rev_c(void) {
  pthread_mutex_lock(&c);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&c);
}
// CHECK: local-callback.c:19:3: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// CHECK-NEXT: local-callback.c:31:3: note: 'a' acquired here
// CHECK-NEXT: local-callback.c:19:3: note: 'b' acquired here while holding 'a'
// CHECK-NEXT: local-callback.c:33:3: note: 'take_b' called here
