// A C function's static lock is named as a C++ one is, `function::variable`
// (SQLite's `pthreadMutexAlloc::staticMutexes[3]`), also its members and
// elements; the symbol clang gives it, `function.variable`, was shown with
// an offset (`pthreadMutexAlloc.staticMutexes+120`).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

typedef struct my_mutex {
  pthread_mutex_t mutex;
} my_mutex;
#define MI {PTHREAD_MUTEX_INITIALIZER}

my_mutex *mutex_alloc(int id) {
  static my_mutex staticMutexes[] = {MI, MI, MI, MI};
  return &staticMutexes[id];
}

pthread_mutex_t *log_lock(void) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  return &mu;
}

__attribute__((noinline)) void mutex_enter(my_mutex *p) { pthread_mutex_lock(&p->mutex); }
__attribute__((noinline)) void mutex_leave(my_mutex *p) { pthread_mutex_unlock(&p->mutex); }

int main(void) {
  int fd = open("/dev/null", O_WRONLY);
  my_mutex *p = mutex_alloc(3);
  mutex_enter(p);
  (void)!write(fd, "a", 1);
  mutex_leave(p);
  pthread_mutex_lock(log_lock());
  (void)!write(fd, "b", 1);
  pthread_mutex_unlock(log_lock());
  return 0;
}

// CHECK-DAG: warning: blocking call 'write' while holding 'mutex_alloc::staticMutexes[3]'
// CHECK-DAG: warning: blocking call 'write' while holding 'log_lock::mu'
