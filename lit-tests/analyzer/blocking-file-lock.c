// A file lock's unlock or try returns at once: flock with LOCK_UN or
// LOCK_NB, lockf with F_ULOCK or F_TLOCK (APR's proc_mutex unlock, under
// its thread mutex) are no blocking calls under a lock. Twin WAIT: the
// locks that wait, flock(LOCK_EX) and lockf(F_LOCK), are.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/nowait "" %s
// RUN: %lockgraph check -p %t/nowait 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/wait "-DWAIT" %s
// RUN: not %lockgraph check -p %t/wait 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <sys/file.h>
#include <unistd.h>

static pthread_mutex_t file_mutex = PTHREAD_MUTEX_INITIALIZER;

void release_file(int fd) {
  pthread_mutex_lock(&file_mutex);
  flock(fd, LOCK_UN);
  lockf(fd, F_ULOCK, 0);
  pthread_mutex_unlock(&file_mutex);
}

int try_file(int fd) {
  pthread_mutex_lock(&file_mutex);
  int busy = flock(fd, LOCK_EX | LOCK_NB) || lockf(fd, F_TLOCK, 0);
  pthread_mutex_unlock(&file_mutex);
  return busy;
}

#if defined(WAIT)
void wait_file(int fd) {
  pthread_mutex_lock(&file_mutex);
  // CHECK: [[@LINE+1]]:3: warning: blocking call to 'flock' while holding 'file_mutex' [lockgraph-blocking-under-lock]
  flock(fd, LOCK_EX);
  // CHECK: [[@LINE+1]]:3: warning: blocking call to 'lockf' while holding 'file_mutex' [lockgraph-blocking-under-lock]
  lockf(fd, F_LOCK, 0);
  pthread_mutex_unlock(&file_mutex);
}
#endif
