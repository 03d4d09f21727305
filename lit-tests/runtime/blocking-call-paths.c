// A blocking call under a lock is reported once per call path and held set,
// not once per call site: leveldb's Log() writes under DBImpl::mutex_ first
// while DB::Open recovers (no other thread can see the database yet), then
// from its compaction thread while writers wait; only the first was
// reported. The same path again is no new report. Under `lockgraph run`, the
// two become one finding "(seen 2 times)" that shows the slower call and
// its path.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=MERGED
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t db_mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void write_log(unsigned us) { usleep(us); }

__attribute__((noinline)) static void open_db(void) {
  pthread_mutex_lock(&db_mu);
  write_log(1);
  pthread_mutex_unlock(&db_mu);
}

__attribute__((noinline)) static void compact(void) {
  pthread_mutex_lock(&db_mu);
  write_log(30000);
  pthread_mutex_unlock(&db_mu);
}

static void *background(void *arg) {
  for (int i = 0; i < 3; ++i)
    compact();
  return arg;
}

int main(void) {
  for (int i = 0; i < 2; ++i)
    open_db();
  pthread_t t;
  pthread_create(&t, 0, background, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK-COUNT-2: WARNING: lockgraph: blocking call 'usleep' while holding a lock
// CHECK-NOT: WARNING: lockgraph: blocking call

// MERGED: blocking-call-paths.c:[[#@LINE-32]]:{{[0-9]+}}: warning: blocking call 'usleep' while holding 'db_mu' (took {{[0-9][0-9]}}.{{[0-9]+}} ms) (seen 2 times) [lockgraph-blocking-under-lock]
// MERGED-NEXT: note: 'write_log' called here
// MERGED-NEXT: blocking-call-paths.c:[[#@LINE-18]]:5: note: 'compact' called here
