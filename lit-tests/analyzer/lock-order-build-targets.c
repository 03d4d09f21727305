// A file without a `main` built into another program's CMake target
// (CMakeFiles/<target>.dir in its compile command's output) belongs to
// that program only: its helper's `config` -> `stats` and this program's
// `stats` -> `config` are two executables' orders, no cycle. Twin NO_TARGET:
// without outputs, which executable links the helper is not known, and it
// is taken as linked by both (the cycle is reported). Twin SAME_TARGET: the
// helper is built into this program, and the cycle is real.
// RUN: rm -rf %t
// RUN: sh %S/Inputs/mkdb.sh %t/targets "" %S/Inputs/order-locks.c:locks %S/Inputs/order-helper.c:snapshotter %S/Inputs/order-helper-main.c:snapshotter %s:reporter
// RUN: %lockgraph check -p %t/targets 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/none "" %S/Inputs/order-locks.c: %S/Inputs/order-helper.c: %S/Inputs/order-helper-main.c: %s:
// RUN: not %lockgraph check -p %t/none 2>&1 | FileCheck %s
// RUN: sh %S/Inputs/mkdb.sh %t/same "" %S/Inputs/order-locks.c:locks %S/Inputs/order-helper.c:reporter %S/Inputs/order-helper-main.c:snapshotter %s:reporter
// RUN: not %lockgraph check -p %t/same 2>&1 | FileCheck %s
#include <pthread.h>

extern pthread_mutex_t config, stats;

int main(void) {
  pthread_mutex_lock(&stats);
  pthread_mutex_lock(&config);
  pthread_mutex_unlock(&config);
  pthread_mutex_unlock(&stats);
  return 0;
}

// CHECK: warning: potential deadlock: lock order cycle config -> stats -> config [lockgraph-lock-order]
