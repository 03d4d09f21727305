// A library's thread runs only in the programs whose code starts it: this
// program never calls start_worker, so its unlocked write of the library's
// `counter` races with no worker (another program of the database starts
// one). Twin START: this program starts the worker first, and the write
// races with the worker's locked count.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/alone "-I%S/Inputs" %S/Inputs/worker-library.c %S/Inputs/worker-first-program.c %s
// RUN: %lockgraph check -p %t/alone 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/start "-I%S/Inputs -DSTART" %S/Inputs/worker-library.c %S/Inputs/worker-first-program.c %s
// RUN: not %lockgraph check -p %t/start 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "worker-library.h"

int main(void) {
#if defined(START)
  pthread_t t;
  start_worker(&t);
#endif
  // CHECK: [[@LINE+1]]:3: warning: write to 'counter' without holding 'counter_lock', which guards it at 3 of 4 accesses [lockgraph-race]
  counter = 5;
  return 0;
}
