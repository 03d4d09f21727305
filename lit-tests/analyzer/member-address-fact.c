// What the caller knows of an object's fields holds in a callee it passes
// the object's address to: libuv's uv_loop_init error path stops the loop's
// child watcher, `uv__signal_stop(&loop->child_watcher)`, which returns at
// once when the handle's signum is 0 (never started), before the blocking
// write of its pipe lock. With the handle started (STARTED), the write is
// reached and reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/stopped "" %s
// RUN: %lockgraph check -p %t/stopped 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/started "-DSTARTED" %s
// RUN: not %lockgraph check -p %t/started 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t loop_mu = PTHREAD_MUTEX_INITIALIZER;
struct signal_handle {
  int signum;
};
struct loop {
  struct signal_handle child_watcher;
};

static void signal_unlock(void) {
  char c = 42;
  (void)write(1, &c, 1);
}

static void signal_stop(struct signal_handle *h) {
  if (h->signum == 0)
    return;
  signal_unlock();
}

void loop_init_failed(struct loop *l) {
  pthread_mutex_lock(&loop_mu);
#ifdef STARTED
  l->child_watcher.signum = 17;
#else
  l->child_watcher.signum = 0;
#endif
  signal_stop(&l->child_watcher);
  // CHECK: member-address-fact.c:[[@LINE-1]]:3: warning: call to 'signal_stop' may block in 'write' while holding 'loop_mu' [lockgraph-blocking-under-lock]
  pthread_mutex_unlock(&loop_mu);
}
