// A `static int run` of one file and a global `int run` of another are two
// variables (mosquitto_ctrl's client.c and the broker's mosquitto.c): the
// workers' locked writes to their own `run` and main's unlocked write to
// the global are no race. Twin SHARED: the workers' file declares the
// global (`extern int run`), and main's write races with theirs.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/own "" %s %S/Inputs/static-run-worker.c
// RUN: %lockgraph check -p %t/own 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/shared "-DSHARED" %s %S/Inputs/static-run-worker.c
// RUN: not %lockgraph check -p %t/shared 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

int run;
void start_workers(pthread_t t[2]);

int main(void) {
  pthread_t t[2];
  start_workers(t);
  // CHECK: [[@LINE+1]]:3: warning: write to 'run' without holding 'run_lock', which guards it at 2 of 3 accesses [lockgraph-race]
  run = 1;
  pthread_join(t[0], 0);
  pthread_join(t[1], 0);
  return 0;
}
