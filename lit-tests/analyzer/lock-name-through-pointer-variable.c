// What a lock reached through a pointer variable is called: through a
// global pointer, by the global (APR's testlockperf.c `thread_lock`); through
// a local pointer set by an out-parameter, by its class, since the local is
// no object of the function's own.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t "-I%S/Inputs" %s %S/Inputs/boxed-mutex.c
// RUN: not %lockgraph check -p %t 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "boxed-mutex.h"
#include <stddef.h>
#include <unistd.h>

static boxed_mutex *log_lock;

void log_slowly(void) {
  boxed_mutex_lock(log_lock);
  // CHECK: [[@LINE+1]]:3: warning: blocking call to 'sleep' while holding 'log_lock.mutex' [lockgraph-blocking-under-lock]
  sleep(1);
  boxed_mutex_unlock(log_lock);
}

void flush_slowly(void) {
  boxed_mutex *m = NULL;
  boxed_mutex_create(&m);
  boxed_mutex_lock(m);
  // CHECK: [[@LINE+1]]:3: warning: blocking call to 'sleep' while holding 'boxed_mutex::mutex' [lockgraph-blocking-under-lock]
  sleep(1);
  boxed_mutex_unlock(m);
}
