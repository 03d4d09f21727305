// A hang that is no cycle of lock calls: the holder of `registry` waits on a
// condition variable that nobody will signal, and another thread blocks on
// `registry` behind it (nng's ws_test hangs this way). The watchdog reports
// the stall while it lasts -- the holder's wait, where it took the lock, and
// where the other thread waits -- and, with abort_on_deadlock=1, aborts
// instead of hanging; alarm() bounds the test if it did not. Twin: the same
// threads with the wait made after releasing `registry`: no stall.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=stall_seconds=1:watchdog_interval_ms=100:abort_on_deadlock=1 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
// RUN: %env_lg_opts=stall_seconds=1:watchdog_interval_ms=100 LD_PRELOAD=%preload %t released 2>&1 | FileCheck %s --check-prefix=RELEASED
// RUN: not %lockgraph run --runtime-options=stall_seconds=1:watchdog_interval_ms=100:abort_on_deadlock=1 -- %t 2>&1 | FileCheck %s --check-prefix=TOOL
// CHECK: WARNING: lockgraph: stall (a thread blocked behind a lock held across a blocking call)
// CHECK-NEXT: Thread T1 (tid={{[0-9]+}}) has been blocked for {{[0-9.]+}} s acquiring 'registry' ({{0x[0-9a-f]+}}) held by thread T0, at:
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reaper_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reaped = PTHREAD_COND_INITIALIZER;
static int released, holding, done;

static void *reaper(void *arg) {
  pthread_mutex_lock(&reaper_mu);
  while (!holding)
    pthread_cond_wait(&reaped, &reaper_mu);
  pthread_mutex_unlock(&reaper_mu);
  pthread_mutex_lock(&registry); // CHECK-NEXT: #0 reaper {{.*}}stall.c:[[@LINE]]
  pthread_mutex_unlock(&registry);
  pthread_mutex_lock(&reaper_mu);
  done = 1;
  pthread_cond_broadcast(&reaped);
  pthread_mutex_unlock(&reaper_mu);
  return arg;
}

int main(int argc, char **argv) {
  alarm(60);
  released = argc > 1 && strcmp(argv[1], "released") == 0;
  pthread_t t;
  pthread_create(&t, 0, reaper, 0);
  pthread_mutex_lock(&registry); // CHECK-DAG: #0 main {{.*}}stall.c:[[@LINE]]
  pthread_mutex_lock(&reaper_mu);
  holding = 1;
  pthread_cond_broadcast(&reaped);
  if (released)
    pthread_mutex_unlock(&registry);
  while (!done)
    pthread_cond_wait(&reaped, &reaper_mu); // CHECK-DAG: #0 main {{.*}}stall.c:[[@LINE]]
  // CHECK-DAG: Thread T0 (tid={{[0-9]+}}) has been in pthread_cond_wait for {{[0-9.]+}} s, at:
  // CHECK-DAG: holding 'registry' ({{0x[0-9a-f]+}}), acquired at:
  pthread_mutex_unlock(&reaper_mu);
  if (!released)
    pthread_mutex_unlock(&registry);
  pthread_join(t, 0);
  fprintf(stderr, "finished\n");
  return 0;
}

// CHECK: SUMMARY: lockgraph: stall {{.*}}stall.c
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
// CHECK-NOT: finished

// RELEASED-NOT: stall
// RELEASED: finished
// RELEASED-NOT: stall

// TOOL: stall.c:{{[0-9]+}}:5: warning: stall: thread T0 has been in pthread_cond_wait for {{[0-9.]+}} s holding 'registry', for which thread T1 has waited {{[0-9.]+}} s [lockgraph-stall]
// TOOL-NEXT: stall.c:{{[0-9]+}}:3: note: 'registry' acquired here by thread T0
// TOOL-NEXT: stall.c:{{[0-9]+}}:3: note: thread T1 waits for 'registry' here
