// A -D_FORTIFY_SOURCE build calls __printf_chk and __fprintf_chk instead of
// printf and fprintf: those are blocking calls under a lock too (reported
// under the name the program wrote). The fixed twin (no lock held) is silent
// and prints the same.
// REQUIRES: runtime
// RUN: %clang -O2 -D_FORTIFY_SOURCE=2 %s -o %t
// RUN: llvm-nm -D %t | FileCheck %s --check-prefix=SYMS
// RUN: env LD_PRELOAD=%preload %t locked 2>&1 >/dev/null | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t unlocked 2>/dev/null | FileCheck %s --check-prefix=OUT
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 >/dev/null | count 0
#include <pthread.h>
#include <stdio.h>
#include <string.h>

pthread_mutex_t g_io_mu = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  int locked = argc > 1 && strcmp(argv[1], "locked") == 0;
  if (locked)
    pthread_mutex_lock(&g_io_mu);
  printf("%s %d\n", argv[0] ? "argc" : "?", argc);
  fprintf(stdout, "value %d\n", argc * 21);
  fflush(stdout);
  if (locked)
    pthread_mutex_unlock(&g_io_mu);
  return 0;
}

// SYMS-DAG: U __printf_chk
// SYMS-DAG: U __fprintf_chk

// CHECK-DAG: WARNING: lockgraph: blocking call 'printf' while holding a lock
// CHECK-DAG: WARNING: lockgraph: blocking call 'fprintf' while holding a lock
// CHECK-DAG: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-fortify.c:21:{{[0-9]+}} in main

// OUT: argc 2
// OUT: value 42
