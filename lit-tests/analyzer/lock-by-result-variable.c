// A lock function that returns a variable whose test tells whether it
// released the lock (APR's apr_global_mutex_lock: the thread mutex, then
// the process lock; when that fails, `if (rv != 0)` releases the thread
// mutex, and `return rv;`) holds it exactly where its result is 0: no
// missing unlock there, and its callers hold the thread mutex where the
// result says so. In the BUG build the release is also conditional on
// another flag, so a failure may return still holding it: a missing
// unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG --implicit-check-not=warning:
#include <pthread.h>
#include <unistd.h>

struct global_mutex {
  pthread_mutex_t thread_mutex;
  int proc_fd;
  int retry;
};

int proc_lock(int fd);

int global_mutex_lock(struct global_mutex *m) {
  int rv;
  pthread_mutex_lock(&m->thread_mutex);
  rv = proc_lock(m->proc_fd);
#if defined(BUG)
  if (rv != 0 && !m->retry)
#else
  if (rv != 0)
#endif
    pthread_mutex_unlock(&m->thread_mutex);
  // BUG: [[@LINE+1]]:3: warning: 'global_mutex::thread_mutex' is still held when 'global_mutex_lock' returns on this path [lockgraph-missing-unlock]
  return rv;
}

int append_record(struct global_mutex *m, int fd) {
  int rv = global_mutex_lock(m);
  if (rv == 0) {
    // OK: [[@LINE+1]]:5: warning: blocking call to 'write' while holding 'global_mutex::thread_mutex' [lockgraph-blocking-under-lock]
    write(fd, "r", 1);
    pthread_mutex_unlock(&m->thread_mutex);
  }
  return rv;
}
