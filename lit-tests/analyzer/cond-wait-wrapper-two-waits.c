// A wait wrapper that waits in one of two places (nng's nng_cv_until: an
// untimed wait for NNG_TIME_NEVER, else a timed one), called once with no
// loop around it: one finding at the call, whose notes show both waits, not
// just the first one found. Called in a loop that re-checks (LOOP): silent.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/once "" %s
// RUN: not %lockgraph check -p %t/once 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/loop "-DLOOP" %s
// RUN: %lockgraph check -p %t/loop 2>&1 | count 0
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define TIME_NEVER ((uint64_t)-1)
struct cv {
  pthread_cond_t cv;
  pthread_mutex_t *mtx;
};

static void cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  pthread_cond_wait(c, m);
}
static int cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, struct timespec *ts) {
  return pthread_cond_timedwait(c, m, ts);
}
int cv_until(struct cv *cv, uint64_t until) {
  if (until == TIME_NEVER) {
    cond_wait(&cv->cv, cv->mtx);
    return 0;
  }
  struct timespec ts = {(time_t)(until / 1000), 0};
  return cond_timedwait(&cv->cv, cv->mtx, &ts);
}

int ready;
void wait_ready(struct cv *cv, uint64_t now) {
  pthread_mutex_lock(cv->mtx);
#ifdef LOOP
  while (!ready)
#endif
    cv_until(cv, now + 500);
  pthread_mutex_unlock(cv->mtx);
}

// CHECK: cond-wait-wrapper-two-waits.c:40:5: warning: 'cv_until' waits on 'cv::cv' with no check around the wait, and is not called in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
// CHECK-DAG: cond-wait-wrapper-two-waits.c:20:3: note: the wait is here
// CHECK-DAG: cond-wait-wrapper-two-waits.c:23:10: note: the wait is here
