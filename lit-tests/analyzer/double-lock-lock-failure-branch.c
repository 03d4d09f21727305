// A lock call whose result is assigned inside the condition that tests it
// (unbound's LOCKRET: `if ((err = pthread_mutex_lock(l)) != 0)
// log_err(...)`) holds the lock only where the result is 0: logging the
// failure, which takes the same lock, is no double lock. Twin SUCCESS: the
// branch logs when the lock call succeeded, holding it: a self-deadlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/failure "" %s
// RUN: %lockgraph check -p %t/failure 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/success "-DSUCCESS" %s
// RUN: not %lockgraph check -p %t/success 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *logfile;
void log_err(const char *what, int err);

#if defined(SUCCESS)
#define LOCKRET(func)                                                          \
  do {                                                                         \
    int lockret_err;                                                           \
    if ((lockret_err = (func)) == 0)                                           \
      log_err(#func, lockret_err);                                             \
  } while (0)
#else
#define LOCKRET(func)                                                          \
  do {                                                                         \
    int lockret_err;                                                           \
    if ((lockret_err = (func)) != 0)                                           \
      log_err(#func, lockret_err);                                             \
  } while (0)
#endif

void log_err(const char *what, int err) {
  // CHECK: [[@LINE+1]]:3: warning: double lock of 'log_lock': 'log_err' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  LOCKRET(pthread_mutex_lock(&log_lock));
  if (logfile)
    fprintf(logfile, "%s: %s\n", what, strerror(err));
  pthread_mutex_unlock(&log_lock);
}
