// Stacks are symbolized by the llvm-symbolizer that symbolizer= names, fed
// from in-memory files: nothing is written to /tmp (which may be read-only),
// so nothing is left there when a process dies while symbolizing. The fake
// symbolizer records what its standard input and output are, then runs the
// real one; without a working symbolizer the report falls back to dladdr
// (exported names, else module + offset).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -f %t.fds
// RUN: printf '#!/bin/sh\necho "$(readlink /proc/$$/fd/0 /proc/$$/fd/1)" >> %t.fds\nexec /usr/lib/llvm-19/bin/llvm-symbolizer "$@"\n' > %t.sym
// RUN: chmod +x %t.sym
// RUN: %env_lg_opts=symbolizer=%t.sym LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=FDS < %t.fds
// RUN: %env_lg_opts=symbolizer=/nonexistent/llvm-symbolizer LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=DLADDR
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;

void log_line(void) {
  pthread_mutex_lock(&g_log_mu);
  write(2, "line\n", 5);
  pthread_mutex_unlock(&g_log_mu);
}

int main(void) {
  log_line();
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: #0 log_line {{.*}}symbolizer-memfd.c:21
// FDS: /memfd:lockgraph-sym-in
// FDS-NEXT: /memfd:lockgraph-sym-out
// DLADDR: WARNING: lockgraph: blocking call 'write' while holding a lock
// DLADDR-NOT: symbolizer-memfd.c:
// DLADDR: #0 {{.*}}(symbolizer-memfd.c.tmp+0x{{[0-9a-f]+}})
