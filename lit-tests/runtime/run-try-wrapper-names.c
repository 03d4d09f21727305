// A try-lock wrapper named for the lock it tries (SQLite's
// `sqlite3_mutex_try` -> `pthreadMutexTry`, which tests the result instead
// of returning it, so it keeps its frame) is a lock wrapper: the lock is
// named by the member its caller passed, `Shared::mutex`, and points at the
// caller's line, not at the wrapper's `my_mutex::mutex`.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct my_mutex {
  pthread_mutex_t mutex;
} my_mutex;
typedef struct Shared {
  int n;
  my_mutex *mutex;
} Shared;

__attribute__((noinline)) int pthreadMutexTry(my_mutex *p) {
  int rc;
  if (pthread_mutex_trylock(&p->mutex) == 0)
    rc = 0;
  else
    rc = 5;
  return rc;
}
__attribute__((noinline)) void pthreadMutexLeave(my_mutex *p) {
  pthread_mutex_unlock(&p->mutex);
}
__attribute__((noinline)) int sqlite3_mutex_try(my_mutex *p) { return pthreadMutexTry(p); }

int main(void) {
  Shared *s = malloc(sizeof *s);
  s->mutex = malloc(sizeof *s->mutex);
  pthread_mutex_init(&s->mutex->mutex, 0);
  if (sqlite3_mutex_try(s->mutex) == 0) {
    (void)!write(1, "b\n", 2);
    pthreadMutexLeave(s->mutex);
  }
  return 0;
}

// CHECK: run-try-wrapper-names.c:[[#@LINE-6]]:12: warning: blocking call 'write' while holding 'Shared::mutex'
// CHECK: run-try-wrapper-names.c:[[#@LINE-8]]:7: note: 'Shared::mutex' was acquired here
