// C11 threads are threads of the graph as pthread ones are: glibc's
// thrd_create and thrd_join reach its pthread functions internally, past the
// interposers, so they have hooks of their own. A thrd_join while holding a
// lock the joined thread takes is a wait-holding-lock cycle (its fixed twin,
// joining after the unlock, is silent), the thread's int result and
// thrd_join's own result pass through, and thrd_create and thrd_join order
// the threads for the start/join filter: a pair main takes before the
// thread starts cannot deadlock with the thread's reverse pair. A
// thrd_sleep while holding a lock is a blocking call under it (glibc's
// sleeps past the clock_nanosleep hook).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %t locked | FileCheck %s --check-prefix=NATIVE
// RUN: env LD_PRELOAD=%preload %t locked 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 | FileCheck %s --check-prefix=NATIVE --implicit-check-not=WARNING
// RUN: %lockgraph run --show-suppressed -- %t setup 2>&1 | FileCheck %s --check-prefix=SETUP
// RUN: env LD_PRELOAD=%preload %t sleep 2>&1 | FileCheck %s --check-prefix=SLEEP
#include <stdio.h>
#include <string.h>
#include <threads.h>

static mtx_t state_mu, m_x, m_y, done_mu;
static cnd_t done_cv;
static int worker_done;

static int worker(void *arg) {
  (void)arg;
  mtx_lock(&state_mu);
  mtx_unlock(&state_mu);
  // Past its lock before main takes it: the run cannot hang.
  mtx_lock(&done_mu);
  worker_done = 1;
  cnd_signal(&done_cv);
  mtx_unlock(&done_mu);
  return 42;
}

static int take_x_then_y(void *arg) {
  (void)arg;
  mtx_lock(&m_x);
  mtx_lock(&m_y);
  mtx_unlock(&m_y);
  mtx_unlock(&m_x);
  return 7;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "locked";
  mtx_init(&state_mu, mtx_plain);
  mtx_init(&m_x, mtx_plain);
  mtx_init(&m_y, mtx_plain);
  thrd_t t;
  int res = 0, joined;
  if (!strcmp(mode, "sleep")) {
    struct timespec nap = {0, 1000};
    mtx_lock(&m_x);
    thrd_sleep(&nap, 0);
    mtx_unlock(&m_x);
    return 0;
  }
  if (!strcmp(mode, "setup")) {
    mtx_lock(&m_y);
    mtx_lock(&m_x);
    mtx_unlock(&m_x);
    mtx_unlock(&m_y);
    thrd_create(&t, take_x_then_y, 0);
    joined = thrd_join(t, &res);
    printf("joined %d, result %d\n", joined == thrd_success, res);
    return 0;
  }
  mtx_init(&done_mu, mtx_plain);
  cnd_init(&done_cv);
  if (thrd_create(&t, worker, 0) != thrd_success)
    return 1;
  mtx_lock(&done_mu);
  while (!worker_done)
    cnd_wait(&done_cv, &done_mu);
  mtx_unlock(&done_mu);
  int hold = !strcmp(mode, "locked");
  mtx_lock(&state_mu);
  if (hold)
    joined = thrd_join(t, &res);
  mtx_unlock(&state_mu);
  if (!hold)
    joined = thrd_join(t, &res);
  printf("joined %d, result %d\n", joined == thrd_success, res);
  return 0;
}

// NATIVE: joined 1, result 42

// CHECK-DAG: joined 1, result 42
// CHECK-DAG: WARNING: lockgraph: blocking call 'thrd_join' while holding a lock
// CHECK-DAG: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// CHECK-DAG: Cycle in lock and wait graph: state_mu ({{.*}}) => thread:worker => state_mu

// SETUP: joined 1, result 7
// SETUP: warning: potential deadlock: lock order cycle m_x -> m_y -> m_x [lockgraph-lock-order]
// SETUP-NEXT: note: not reported: start/join order:
// SETUP: 0 findings (1 more ruled out

// SLEEP: WARNING: lockgraph: blocking call 'thrd_sleep' while holding a lock
// SLEEP-NEXT: Thread T0 called thrd_sleep (took {{.*}}) while holding 'm_x', at:
