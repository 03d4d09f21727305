// lockgraph run serves one symbolizer to all the processes of the command
// (symbolizer_socket): a process no longer starts an llvm-symbolizer of its
// own at exit, which cost 100-200 ms per process. The fake symbolizer logs
// every start; under lockgraph run it is never started, and the report is
// still symbolized (the static lock's name needs DATA, its sites CODE).
// Without the service (a socket nobody serves) each process falls back to
// starting its own.
// REQUIRES: runtime
// RUN: %clang -g -O0 %s -o %t
// RUN: rm -f %t.starts
// RUN: printf '#!/bin/sh\necho started >> %t.starts\nexec /usr/lib/llvm-19/bin/llvm-symbolizer "$@"\n' > %t.sym
// RUN: chmod +x %t.sym
// RUN: not %lockgraph run --runtime-options=symbolizer=%t.sym -- %t 2>&1 | FileCheck %s
// RUN: test ! -e %t.starts
// RUN: %env_lg_opts=symbolizer=%t.sym:symbolizer_socket=%t.nobody.sock LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=FALLBACK
// RUN: wc -l < %t.starts | FileCheck %s --check-prefix=STARTS
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t held_mu = PTHREAD_MUTEX_INITIALIZER;

static void write_under_lock(void) {
  pthread_mutex_lock(&held_mu);
  write(1, "", 0);
  pthread_mutex_unlock(&held_mu);
}

int main(void) {
  for (int i = 0; i < 3; i++) {
    pid_t child = fork();
    if (child == 0) {
      write_under_lock();
      _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
  }
  return 0;
}

// CHECK: 4 processes recorded
// CHECK: run-shared-symbolizer.c:[[@LINE-18]]:3: warning: blocking call 'write' while holding 'held_mu' (took {{.*}}) (seen 3 times in 3 processes)
// CHECK-NEXT: run-shared-symbolizer.c:[[@LINE-11]]:7: note: 'write_under_lock' called here
// CHECK-NEXT: run-shared-symbolizer.c:[[@LINE-21]]:3: note: 'held_mu' was acquired here
// CHECK-NEXT: run-shared-symbolizer.c:[[@LINE-13]]:7: note: 'write_under_lock' called here
// CHECK-NOT: warning:
// CHECK: 1 finding.

// Each of the three children starts its own symbolizer.
// FALLBACK: blocking call 'write' while holding a lock
// FALLBACK: 'held_mu'
// FALLBACK: #0 write_under_lock {{.*}}run-shared-symbolizer.c:[[@LINE-28]]:3
// STARTS: 3
