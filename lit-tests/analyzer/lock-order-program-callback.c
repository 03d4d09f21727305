// A handler that one program's main file stores in a library's field runs
// in that program only: another program's handler takes the state lock
// under the bus lock, and this program's dispatch under the state lock is
// no cycle (its own handler takes nothing), nor a double lock. Twin SAME:
// this program's handler takes the state lock too: the orders make a
// cycle, and the dispatch under the state lock takes it again.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/other "-I%S/Inputs" %S/Inputs/bus-library.c %S/Inputs/bus-first-program.c %s
// RUN: %lockgraph check -p %t/other 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/same "-I%S/Inputs -DSAME" %S/Inputs/bus-library.c %S/Inputs/bus-first-program.c %s
// RUN: not %lockgraph check -p %t/same 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "bus-library.h"

static void count_event(void) {
#if defined(SAME)
  // CHECK: [[@LINE+1]]:3: warning: potential deadlock: lock order cycle bus::lock -> state_lock -> bus::lock [lockgraph-lock-order]
  pthread_mutex_lock(&state_lock);
  pthread_mutex_unlock(&state_lock);
#endif
}

int main(void) {
  struct bus b = {PTHREAD_MUTEX_INITIALIZER, 0};
  bus_subscribe(&b, count_event);
  pthread_mutex_lock(&state_lock);
  // CHECK: [[@LINE+1]]:3: warning: double lock of 'state_lock': 'bus_dispatch' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  bus_dispatch(&b);
  pthread_mutex_unlock(&state_lock);
  return 0;
}

