// A callee that unlocks its caller's mutex only on a path that ends the
// process (pbzip2's safe_cond_wait: on error, unlock and exit) does not
// release it for the caller: the caller's own unlock afterwards is not an
// unlock of an unheld lock. (VIA_HELPER: the process ends in a function of
// the file that calls exit on every path, pbzip2's cleanupAndQuit.) The twin's callee also unlocks on the path
// that returns, so the caller's unlock really is of an unheld lock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/exits "" %s
// RUN: %lockgraph check -p %t/exits 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/helper "-DVIA_HELPER" %s
// RUN: %lockgraph check -p %t/helper 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/returns "-DRETURNS" %s
// RUN: not %lockgraph check -p %t/returns 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
int flush_output(void);

static void cleanup_and_quit(int code) {
  pthread_mutex_lock(&out_mu); // never reached with out_mu held
  pthread_mutex_unlock(&out_mu);
  exit(code);
}

static void flush_or_die(pthread_mutex_t *mu) {
  if (flush_output() != 0) {
    pthread_mutex_unlock(mu);
#ifdef VIA_HELPER
    cleanup_and_quit(1);
#else
    exit(1);
#endif
  }
#ifdef RETURNS
  pthread_mutex_unlock(mu);
#endif
}

void *writer(void *arg) {
  pthread_mutex_lock(&out_mu);
  flush_or_die(&out_mu);
  pthread_mutex_unlock(&out_mu);
  return arg;
}

// CLEAN-NOT: warning:
// CHECK: warning: {{.*}}'out_mu'{{.*}}[lockgraph-unlock-unheld]
