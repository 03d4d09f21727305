// A stall that holds up several threads: main holds `table` and `journal`
// while it waits on a condition variable nobody signals; one thread blocks
// on `table` and two on `journal` behind it (memcached's pause_threads
// holding the LRU crawler lock that its workers wait for). The stall report
// names every thread held up, each with the lock it waits for and where,
// and each lock the holder holds that someone waits for, with where it took
// it -- not only the first waiter found. (Thread numbers follow the order
// in which the threads first lock, which varies.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=stall_seconds=2:watchdog_interval_ms=100:abort_on_deadlock=1 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
// RUN: not %lockgraph run --runtime-options=stall_seconds=2:watchdog_interval_ms=100:abort_on_deadlock=1 -- %t 2>&1 | FileCheck %s --check-prefix=TOOL
// CHECK: WARNING: lockgraph: stall (a thread blocked behind a lock held across a blocking call)
// CHECK-DAG: Thread T{{[1-3]}} (tid={{[0-9]+}}) has been blocked for {{[0-9.]+}} s acquiring 'table' ({{0x[0-9a-f]+}}) held by thread T0, at:
// CHECK-DAG: Thread T{{[1-3]}} (tid={{[0-9]+}}) has been blocked for {{[0-9.]+}} s acquiring 'journal' ({{0x[0-9a-f]+}}) held by thread T0, at:
// CHECK-DAG: Thread T{{[1-3]}} (tid={{[0-9]+}}) has been blocked for {{[0-9.]+}} s acquiring 'journal' ({{0x[0-9a-f]+}}) held by thread T0, at:
// CHECK-DAG: Thread T0 (tid={{[0-9]+}}) has been in pthread_cond_wait for {{[0-9.]+}} s, at:
// CHECK-DAG: holding 'table' ({{0x[0-9a-f]+}}), acquired at:
// CHECK-DAG: holding 'journal' ({{0x[0-9a-f]+}}), acquired at:
// TOOL: warning: stall: thread T0 has been in pthread_cond_wait for {{[0-9.]+}} s holding '{{table|journal}}', for which thread T{{[1-3]}} has waited {{[0-9.]+}} s; also waiting for its locks: thread T{{[1-3]}} ('{{table|journal}}'), thread T{{[1-3]}} ('{{table|journal}}') [lockgraph-stall]
// TOOL-DAG: note: 'table' acquired here by thread T0
// TOOL-DAG: note: 'journal' acquired here by thread T0
// TOOL-DAG: note: thread T{{[1-3]}} waits for 'table' here
// TOOL-DAG: note: thread T{{[1-3]}} waits for 'journal' here
// TOOL-DAG: note: thread T{{[1-3]}} waits for 'journal' here
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t journal = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pause_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t resumed = PTHREAD_COND_INITIALIZER;
static int resume;

static void *table_user(void *arg) {
  pthread_mutex_lock(&table); // CHECK-DAG: #0 table_user {{.*}}stall-many-waiters.c:[[@LINE]]
  pthread_mutex_unlock(&table);
  return arg;
}

static void *journal_user(void *arg) {
  pthread_mutex_lock(&journal); // CHECK-DAG: #0 journal_user {{.*}}stall-many-waiters.c:[[@LINE]]
  pthread_mutex_unlock(&journal);
  return arg;
}

int main(void) {
  alarm(60);
  pthread_mutex_lock(&table);   // CHECK-DAG: #0 main {{.*}}stall-many-waiters.c:[[@LINE]]
  pthread_mutex_lock(&journal); // CHECK-DAG: #0 main {{.*}}stall-many-waiters.c:[[@LINE]]
  pthread_t t[3];
  pthread_create(&t[0], 0, table_user, 0);
  pthread_create(&t[1], 0, journal_user, 0);
  pthread_create(&t[2], 0, journal_user, 0);
  pthread_mutex_lock(&pause_mu);
  while (!resume)
    pthread_cond_wait(&resumed, &pause_mu); // CHECK-DAG: #0 main {{.*}}stall-many-waiters.c:[[@LINE]]
  pthread_mutex_unlock(&pause_mu);
  pthread_mutex_unlock(&journal);
  pthread_mutex_unlock(&table);
  for (int i = 0; i < 3; ++i)
    pthread_join(t[i], 0);
  return 0;
}

// CHECK: SUMMARY: lockgraph: stall {{.*}}stall-many-waiters.c
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
