// A thread waits on a condition variable while holding lock l (a blocking
// call under a lock, not checked here). Its notifier
// took l before notifying: with pthread_mutex_lock that is a potential
// deadlock (had the waiter held l already, the notifier would have blocked
// and never notified), with pthread_mutex_trylock it is not (the trylock
// would have failed instead of blocking).
// REQUIRES: runtime
// RUN: %clang %s -o %t.try
// RUN: %env_lg_opts=detect_blocking=0 LD_PRELOAD=%preload %t.try 2>&1 | FileCheck %s --check-prefix=TRY
// RUN: %clang -DBLOCKING %s -o %t.blocking
// RUN: %env_lg_opts=detect_blocking=0 LD_PRELOAD=%preload %t.blocking 2>&1 | FileCheck %s --check-prefix=BLOCKING
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %env_lg_opts=output_dir=%t.dir:detect_blocking=0 LD_PRELOAD=%preload %t.try
// RUN: %lockgraph report --show-suppressed %t.dir/*.json 2>&1 | FileCheck %s --check-prefix=WHY
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t mu_l = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_cv = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv_work = PTHREAD_COND_INITIALIZER;
pthread_cond_t cv_started = PTHREAD_COND_INITIALIZER;
int started, ready;

static void *waiter(void *p) {
  pthread_mutex_lock(&mu_l);
  pthread_mutex_lock(&mu_cv);
  started = 1;
  pthread_cond_signal(&cv_started);
  while (!ready)
    pthread_cond_wait(&cv_work, &mu_cv);
  pthread_mutex_unlock(&mu_cv);
  pthread_mutex_unlock(&mu_l);
  return p;
}

int main(void) {
#ifdef BLOCKING
  pthread_mutex_lock(&mu_l);
#else
  if (pthread_mutex_trylock(&mu_l) != 0)
    return 1;
#endif
  pthread_mutex_unlock(&mu_l);

  pthread_t t;
  pthread_create(&t, 0, waiter, 0);
  pthread_mutex_lock(&mu_cv);
  while (!started)
    pthread_cond_wait(&cv_started, &mu_cv);
  ready = 1;
  pthread_cond_signal(&cv_work);
  pthread_mutex_unlock(&mu_cv);
  pthread_join(t, 0);
  fprintf(stderr, "done\n");
  return 0;
}

// TRY-NOT: WARNING: lockgraph
// TRY: done
// TRY-NOT: WARNING: lockgraph

// BLOCKING: done
// BLOCKING: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// BLOCKING-NEXT: Cycle in lock and wait graph: cv_work => mu_l ({{.*}}) => cv_work
// BLOCKING: Lock mu_l acquired here by a notifier of cv_work (thread T0):
// BLOCKING-NOT: WARNING: lockgraph

// WHY: trylock: the notifiers of 'cv_work' only ever try-acquire 'mu_l', which cannot block
