// A blocking lock call whose result is checked: on the path where it failed
// the lock is not held (pbzip2's terminator thread calls a function that
// takes the same lock there, then exits). Held when the result says
// success, as for a trylock, whether the result is tested directly or kept
// in a variable. The twin ignores the result and takes the lock again on
// that path: a double lock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/checked "" %s
// RUN: %lockgraph check -p %t/checked 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/ignored "-DIGNORED" %s
// RUN: not %lockgraph check -p %t/ignored 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t flag_mu = PTHREAD_MUTEX_INITIALIZER;
static int terminate_flag;

static void set_terminate(void) {
  pthread_mutex_lock(&flag_mu);
  terminate_flag = 1;
  pthread_mutex_unlock(&flag_mu);
}

void *terminator(void *arg) {
  int ret = pthread_mutex_lock(&flag_mu);
#ifdef IGNORED
  ret = 1;
#endif
  if (ret != 0) {
    set_terminate();
    exit(1);
  }
  pthread_mutex_unlock(&flag_mu);
  return arg;
}

int read_flag(void) {
  if (pthread_mutex_lock(&flag_mu) != 0)
    return -1; // not held: no missing unlock
  int value = terminate_flag;
  pthread_mutex_unlock(&flag_mu);
  return value;
}

int try_read_flag(void) {
  int busy = pthread_mutex_trylock(&flag_mu);
  if (busy)
    return -1;
  int value = terminate_flag;
  pthread_mutex_unlock(&flag_mu);
  return value;
}

// CLEAN-NOT: warning:
// CHECK: warning: {{.*}}'flag_mu'{{.*}}[lockgraph-double-lock]
