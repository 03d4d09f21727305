// Correlated conditions (correlated-conditions.c) that are comparisons: a
// lock taken under `if (req->cb != NULL)` or `if (n > 0)` and released under
// the same test later is released on every path (libuv's uv__fs_mkstemp).
// The twin releases under a different comparison (`n > 1`): then the lock
// can stay held, a missing unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/same "" %s
// RUN: not %lockgraph check -p %t/same 2>&1 | FileCheck %s --check-prefix=CLEAN --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stddef.h>

struct req {
  void (*cb)(void);
  pthread_rwlock_t *lk;
};
int work(void);

int member_test(struct req *req) {
  int r;
  if (req->cb != NULL)
    pthread_rwlock_rdlock(req->lk);
  r = work();
  if (req->cb != NULL)
    pthread_rwlock_unlock(req->lk);
  return r;
}

int compared(pthread_mutex_t *m, int n) {
  if (n > 0)
    pthread_mutex_lock(m);
  work();
#ifdef OTHER
  if (n > 1)
#else
  if (n > 0)
#endif
    pthread_mutex_unlock(m);
  return 0;
}

int compared_again_after_change(pthread_mutex_t *m, int n) {
  if (n > 0)
    pthread_mutex_lock(m);
  n = work();
  if (n > 0) // n changed: this test says nothing about the first
    pthread_mutex_unlock(m);
  return 0;
}

// CLEAN: warning: {{.*}} is still held when 'compared_again_after_change' returns on this path [lockgraph-missing-unlock]
// CHECK: warning: {{.*}} is still held when 'compared' returns on this path [lockgraph-missing-unlock]
// CHECK: warning: {{.*}} is still held when 'compared_again_after_change' returns on this path [lockgraph-missing-unlock]
