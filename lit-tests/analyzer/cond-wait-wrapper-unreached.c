// libevent's condition-variable callbacks: a wait wrapper (its condition
// variable a parameter) that picks a timed or an untimed wait by its own
// parameter (`if (tv)`: no check of what the wait is for), reached through a
// table of callbacks, and a debugging wrapper that passes its parameters on
// to the table. Neither is where a loop belongs: a call of the table outside
// a loop is (UNLOOPED), reported there; called in a loop, nothing is.
// A wrapper that no call we follow reaches is not reported either.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/loop "" %s
// RUN: %lockgraph check -p %t/loop 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unlooped "-DUNLOOPED" %s
// RUN: not %lockgraph check -p %t/unlooped 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <string.h>
#include <time.h>

struct cond_callbacks {
  int (*wait_condition)(void *cond, void *lock, const struct timespec *tv);
};
static struct cond_callbacks g_cond_fns;
static struct cond_callbacks g_original_fns;

static int posix_cond_wait(void *cond_, void *lock_, const struct timespec *tv) {
  pthread_cond_t *cond = cond_;
  pthread_mutex_t *lock = lock_;
  if (tv)
    return pthread_cond_timedwait(cond, lock, tv) ? -1 : 0;
  else
    return pthread_cond_wait(cond, lock) ? -1 : 0;
}

static int debug_cond_wait(void *cond_, void *lock_, const struct timespec *tv) {
  return g_original_fns.wait_condition(cond_, lock_, tv);
}

static int unreached_wait(void *cond_, void *lock_) {
  return pthread_cond_wait((pthread_cond_t *)cond_, (pthread_mutex_t *)lock_);
}

void use_pthreads(int debug) {
  struct cond_callbacks cbs = {posix_cond_wait};
  memcpy(&g_cond_fns, &cbs, sizeof cbs);
  if (debug) {
    g_original_fns = g_cond_fns;
    g_cond_fns.wait_condition = debug_cond_wait;
  }
}

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_ready;
void *g_keep = (void *)unreached_wait;

void wait_ready(void) {
  pthread_mutex_lock(&g_mu);
#ifdef UNLOOPED
  if (!g_ready)
    g_cond_fns.wait_condition(&g_cv, &g_mu, 0);
  // CHECK: cond-wait-wrapper-unreached.c:[[@LINE-1]]:5: warning: 'cond_callbacks::wait_condition' waits on 'g_cv' with no check around the wait, and is not called in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
#else
  while (!g_ready)
    g_cond_fns.wait_condition(&g_cv, &g_mu, 0);
#endif
  pthread_mutex_unlock(&g_mu);
}
