// An update made with an atomic builtin (__sync_*, __atomic_*) races with
// nothing, even where the variable's other accesses hold a lock (memcached's
// logger_gid). The same update as a plain ++ is a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/atomic "" %s
// RUN: %lockgraph check -p %t/atomic 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/plain "-DPLAIN" %s
// RUN: not %lockgraph check -p %t/plain 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long gid;

static unsigned long next_gid(void) {
#ifdef PLAIN
  return ++gid; // CHECK-DAG: race-atomic-builtins.c:[[@LINE]]:12: note: write to 'gid' here
#else
  return __sync_add_and_fetch(&gid, 1);
#endif
}

static unsigned long peek_gid(void) {
  return __atomic_load_n(&gid, __ATOMIC_RELAXED);
}

static void *logger(void *arg) {
  pthread_mutex_lock(&mu);
  gid = 0;
  pthread_mutex_unlock(&mu);
  pthread_mutex_lock(&mu);
  gid += 10;
  pthread_mutex_unlock(&mu);
  return arg;
}

static void *worker(void *arg) {
  next_gid(); // CHECK-DAG: race-atomic-builtins.c:[[@LINE]]:3: warning: call to 'next_gid' writes 'gid' without holding 'mu', which guards it at 2 of 3 accesses [lockgraph-race]
  return (void *)peek_gid();
}

int main(void) {
  pthread_t l, w;
  pthread_create(&l, 0, logger, 0);
  pthread_create(&w, 0, worker, 0);
  pthread_join(l, 0);
  pthread_join(w, 0);
  return 0;
}
