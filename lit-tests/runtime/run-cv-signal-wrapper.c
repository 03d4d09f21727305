// Condition variables signalled through the program's own wrapper (nng's
// nni_plat_cv_wake -> nni_pthread_cond_broadcast) are named by where the
// program signals, not by the wrapper's line, which every one of them
// passes: two unrelated condition variables, each first seen being
// signalled, are two classes. The first program waits on its own while
// holding `outer`; the second signals another one while holding `outer`.
// Merged under one name (nng's 76,000 condition variables were all
// `condvar@posix_thread.c:102`) they made a false cycle outer -> cv -> outer.
// REQUIRES: runtime
// RUN: %clang %s -o %t.first
// RUN: %clang -DSECOND_PROGRAM %s -o %t.second
// RUN: not %lockgraph run --format=dot -- sh -c '%t.first; %t.second' 2>&1 | FileCheck %s
// RUN: not %lockgraph run -- sh -c '%t.first; %t.second' 2>&1 | FileCheck %s --check-prefix=FINDINGS
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cv_mu = PTHREAD_MUTEX_INITIALIZER;
static int ready;

__attribute__((noinline)) static void cv_wake(pthread_cond_t *cv) {
  pthread_cond_broadcast(cv);
}

static pthread_cond_t *new_cv(void) {
  pthread_cond_t *cv = malloc(sizeof(pthread_cond_t));
  pthread_cond_init(cv, 0);
  return cv;
}

static void *waker(void *cv) {
  pthread_mutex_lock(&cv_mu);
  ready = 1;
  cv_wake(cv);
  pthread_mutex_unlock(&cv_mu);
  return 0;
}

int main(void) {
  pthread_cond_t *cv = new_cv();
#ifdef SECOND_PROGRAM
  pthread_mutex_lock(&outer);
  cv_wake(cv); // CHECK-DAG: label="condvar@run-cv-signal-wrapper.c:[[@LINE]]"
  pthread_mutex_unlock(&outer);
#else
  pthread_mutex_lock(&cv_mu);
  cv_wake(cv); // CHECK-DAG: label="condvar@run-cv-signal-wrapper.c:[[@LINE]]"
  pthread_mutex_unlock(&cv_mu);
  pthread_mutex_lock(&outer);
  pthread_mutex_lock(&cv_mu);
  pthread_t t;
  pthread_create(&t, 0, waker, cv);
  while (!ready)
    pthread_cond_wait(cv, &cv_mu);
  pthread_mutex_unlock(&cv_mu);
  pthread_mutex_unlock(&outer);
  pthread_join(t, 0);
#endif
  return 0;
}

// CHECK-NOT: condvar@run-cv-signal-wrapper.c:21

// Only the wait itself, a blocking call under `outer`; no cycle.
// FINDINGS-NOT: warning: {{.*}}cycle
// FINDINGS: warning: blocking call 'pthread_cond_wait' while holding 'outer'
// FINDINGS-NOT: warning: {{.*}}cycle
// FINDINGS: 1 finding.
