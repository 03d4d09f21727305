// A lock wrapper that returns the lock call's result (APR's
// apr_thread_mutex_lock: `return pthread_mutex_lock(&mutex->mutex);`)
// holds the lock only where that result is 0: on the branch where it
// failed, the caller's sleep and return are under no lock. In one file
// (ONE_FILE) and with the wrappers in another. Twin UNCHECKED: the result
// is not tested, and the sleep is under the lock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/one "-I%S/Inputs -DONE_FILE" %s
// RUN: %lockgraph check -p %t/one 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/files "-I%S/Inputs" %s %S/Inputs/result-lock-wrapper.c
// RUN: %lockgraph check -p %t/files 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unchecked "-I%S/Inputs -DUNCHECKED" %s %S/Inputs/result-lock-wrapper.c
// RUN: not %lockgraph check -p %t/unchecked 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "result-lock-wrapper.h"
#include <stdio.h>
#include <unistd.h>

#if defined(ONE_FILE)
#include "result-lock-wrapper.c"
#endif

int use(struct object *o) {
#if defined(UNCHECKED)
  object_lock(o);
  // CHECK: [[@LINE+1]]:3: warning: blocking call to 'sleep' while holding 'object::mutex' [lockgraph-blocking-under-lock]
  sleep(1);
#else
  int rv = object_lock(o);
  if (rv) {
    fprintf(stderr, "lock failed: %d\n", rv);
    sleep(1);
    return rv;
  }
#endif
  o->uses++;
  object_unlock(o);
  return 0;
}
