/* pthread and C11 condition-variable waits not in a re-checking loop, in C.
 * RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
 * RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
 * RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
 * RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
 */
#include <pthread.h>
#include <threads.h>
#include <time.h>

pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
mtx_t slot_mu;
cnd_t slot_cv;
int ready, slot_full;

void awaitReady(void) {
  pthread_mutex_lock(&ready_mu);
#ifdef FIXED
  while (!ready)
    pthread_cond_wait(&ready_cv, &ready_mu);
#else
  if (!ready)
    pthread_cond_wait(&ready_cv, &ready_mu);
  // CHECK: cond-wait-no-loop.c:[[@LINE-1]]:5: warning: 'pthread_cond_wait' on 'ready_cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  // CHECK-NEXT: cond-wait-no-loop.c:[[@LINE-3]]:3: note: the condition is checked once here, and not again after the wait returns
#endif
  pthread_mutex_unlock(&ready_mu);
}

int awaitReadyFor(const struct timespec *Deadline) {
  int Rc = 0;
  pthread_mutex_lock(&ready_mu);
#ifdef FIXED
  while (!ready && Rc == 0)
    Rc = pthread_cond_timedwait(&ready_cv, &ready_mu, Deadline);
#else
  Rc = pthread_cond_timedwait(&ready_cv, &ready_mu, Deadline);
  // CHECK: cond-wait-no-loop.c:[[@LINE-1]]:8: warning: 'pthread_cond_timedwait' on 'ready_cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
#endif
  pthread_mutex_unlock(&ready_mu);
  return Rc;
}

void takeSlot(void) {
  mtx_lock(&slot_mu);
#ifdef FIXED
  while (!slot_full)
#endif
    cnd_wait(&slot_cv, &slot_mu);
#ifndef FIXED
  // CHECK: cond-wait-no-loop.c:[[@LINE-2]]:5: warning: 'cnd_wait' on 'slot_cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
#endif
  slot_full = 0;
  mtx_unlock(&slot_mu);
}

void setReady(void) {
  pthread_mutex_lock(&ready_mu);
  ready = 1;
  pthread_cond_broadcast(&ready_cv);
  pthread_mutex_unlock(&ready_mu);
}

/* A loop written with goto (xz's worker_decoder): the wait jumps back to
 * before its check. A goto forward is no loop. */
int go_ready;
void awaitWithGoto(void) {
  pthread_mutex_lock(&ready_mu);
recheck:
  if (!go_ready) {
    pthread_cond_wait(&ready_cv, &ready_mu);
#ifdef FIXED
    goto recheck;
#else
    goto done;
#endif
  }
done:
  pthread_mutex_unlock(&ready_mu);
}
// CHECK: cond-wait-no-loop.c:[[@LINE-10]]:5: warning: 'pthread_cond_wait' on 'ready_cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
// CHECK-NEXT: cond-wait-no-loop.c:[[@LINE-12]]:3: note: the condition is checked once here, and not again after the wait returns
