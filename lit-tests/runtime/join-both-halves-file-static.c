// A blocking call under a file-static lock whose name another file's
// static lock has too: the analyzer names it with its file, `mutex
// (join-both-halves-file-static.c)`, the runtime by its symbol, `mutex`.
// They are still one finding, confirmed at run time (they were two).
// REQUIRES: runtime, analyzer
// RUN: rm -rf %t && mkdir -p %t
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t/db "" %s %S/Inputs/other_static_mutex.c
// RUN: %clang %s %S/Inputs/other_static_mutex.c -o %t/prog
// RUN: not %lockgraph check -p %t/db --export-graph=%t/static.json > /dev/null 2>&1
// RUN: not %lockgraph run --keep-graphs=%t/rt -- %t/prog > /dev/null 2>&1
// RUN: not %lockgraph report %t/static.json %t/rt/*.json > %t/out 2>&1
// RUN: FileCheck %s --input-file=%t/out --implicit-check-not=warning:
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;

void shared_then_other_mutex(pthread_mutex_t *shared);

static void flush_journal(int fd) {
  if (write(fd, "x", 1) < 0)
    _exit(1);
}

int main(void) {
  int p[2];
  if (pipe(p))
    return 1;
  shared_then_other_mutex(&shared_mu);
  pthread_mutex_lock(&mutex);
  flush_journal(p[1]);
  pthread_mutex_unlock(&mutex);
  return 0;
}

// CHECK: join-both-halves-file-static.c:[[#@LINE-5]]:3: warning: call to 'flush_journal' may block in 'write' while holding 'mutex (join-both-halves-file-static.c)' (confirmed at run time) [lockgraph-blocking-under-lock]
// CHECK: 1 finding.
