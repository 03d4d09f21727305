// A blocking call made further down a call chain, through both halves: the
// analyzer reports the call under the lock (`flush_journal(j)` while holding
// the store's lock), with a note at the fsync down the chain; the runtime
// reports the fsync, with the calls that led there. The lock is in the heap:
// both halves name it `store::mu` (the runtime by the member its first
// acquisition took). They are one finding, confirmed at run time. The same
// fsync reached on another path under another lock (`rotate`) is confirmed
// by its own run-time finding, not folded into commit's.
// REQUIRES: runtime, analyzer
// RUN: rm -rf %t && mkdir -p %t
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t/db "" %s
// RUN: %clang %s -o %t/prog
// RUN: not %lockgraph check -p %t/db --export-graph=%t/static.json > /dev/null 2>&1
// RUN: not %lockgraph run --keep-graphs=%t/rt -- %t/prog > /dev/null 2>&1
// RUN: not %lockgraph report %t/static.json %t/rt/*.json > %t/out 2>&1
// RUN: FileCheck %s --input-file=%t/out --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct store {
  pthread_mutex_t mu;
  pthread_mutex_t rotate_mu;
  int fd;
};

static void sync_file(int fd) { fsync(fd); }
static void flush_journal(struct store *s) { sync_file(s->fd); }

void commit(struct store *s) {
  pthread_mutex_lock(&s->mu);
  // CHECK-DAG: join-both-halves-chain.c:[[#@LINE+2]]:3: warning: call to 'flush_journal' may block in 'fsync' while holding 'store::mu' (confirmed at run time) [lockgraph-blocking-under-lock]
  // CHECK-DAG: join-both-halves-chain.c:[[#@LINE-6]]:{{[0-9]+}}: note: seen at run time: blocking call 'fsync' while holding 'store::mu'
  flush_journal(s);
  pthread_mutex_unlock(&s->mu);
}

void rotate(struct store *s) {
  pthread_mutex_lock(&s->rotate_mu);
  // CHECK-DAG: join-both-halves-chain.c:[[#@LINE+1]]:3: warning: call to 'sync_file' may block in 'fsync' while holding 'store::rotate_mu' (confirmed at run time) [lockgraph-blocking-under-lock]
  sync_file(s->fd);
  pthread_mutex_unlock(&s->rotate_mu);
}

int main(void) {
  struct store *s = calloc(1, sizeof *s);
  pthread_mutex_init(&s->mu, 0);
  pthread_mutex_init(&s->rotate_mu, 0);
  s->fd = 1;
  commit(s);
  rotate(s);
  return 0;
}
// CHECK: 2 findings.
