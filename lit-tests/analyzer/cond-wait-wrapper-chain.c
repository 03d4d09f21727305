/* Condition-variable waits wrapped twice (nng: nni_cv_wait ->
 * nni_plat_cv_wait(&cv->cv) -> nni_pthread_cond_wait(c, m), which waits
 * once and panics on an error): the wrappers pass on what their callers
 * gave them, so the place to loop is the first caller that names the
 * condition variable itself; every such caller here loops. Twin BUG: one of
 * them waits once, reported there, through both wrappers.
 * RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/fixed "" %s
 * RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
 * RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
 * RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
 */
#include <pthread.h>
#include <stdlib.h>

typedef struct plat_cv {
  pthread_cond_t cv;
  pthread_mutex_t *mtx;
} plat_cv;

static void checked_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  if (pthread_cond_wait(c, m) != 0)
    abort();
}

void plat_cv_wait(plat_cv *cv) { checked_cond_wait(&cv->cv, cv->mtx); }

void cv_wait(plat_cv *cv) { plat_cv_wait(cv); }

static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static plat_cv ready_cv = {PTHREAD_COND_INITIALIZER, &ready_mu};
static int ready;

void wait_ready(void) {
  pthread_mutex_lock(&ready_mu);
  while (!ready)
    cv_wait(&ready_cv);
  pthread_mutex_unlock(&ready_mu);
}

void wait_ready_directly(void) {
  pthread_mutex_lock(&ready_mu);
  while (!ready)
    plat_cv_wait(&ready_cv);
  pthread_mutex_unlock(&ready_mu);
}

#ifdef BUG
void wait_ready_once(void) {
  pthread_mutex_lock(&ready_mu);
  if (!ready)
    cv_wait(&ready_cv);
  // CHECK: cond-wait-wrapper-chain.c:[[@LINE-1]]:5: warning: 'cv_wait' waits on 'ready_cv.cv' with no check around the wait, and is not called in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  pthread_mutex_unlock(&ready_mu);
}
#endif

void set_ready(void) {
  pthread_mutex_lock(&ready_mu);
  ready = 1;
  pthread_cond_broadcast(&ready_cv.cv);
  pthread_mutex_unlock(&ready_mu);
}
