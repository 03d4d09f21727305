// Threads created faster than they start: the creator runs at real-time
// priority on one CPU, so none of 1,500 threads starts before the last one
// is created. Each thread still gets its class node (the runtime's fixed
// pool of 1,024 start records is exhausted; the rest come from pages of
// their own): joining the *last* thread while holding the lock the threads
// take is reported as wait-holding-lock, which needs that thread's class.
// The run is sequenced so that every thread is done before main takes the
// lock: it never hangs. The fixed twin joins after unlocking and is silent.
// REQUIRES: runtime, sched-fifo
// RUN: %clang %s -o %t
// RUN: %t locked > %t.native
// RUN: env LD_PRELOAD=%preload %t locked 2>%t.err > %t.preload
// RUN: diff %t.native %t.preload
// RUN: FileCheck %s --check-prefix=OUT < %t.native
// RUN: FileCheck %s < %t.err
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 >/dev/null | count 0
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { NumThreads = 1500 };
pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
atomic_int started, finished;

static void *worker(void *p) {
  atomic_fetch_add(&started, 1);
  pthread_mutex_lock(&state_mu);
  pthread_mutex_unlock(&state_mu);
  atomic_fetch_add(&finished, 1);
  return p;
}

int main(int argc, char **argv) {
  int hold = argc > 1 && strcmp(argv[1], "locked") == 0;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  sched_setaffinity(0, sizeof one, &one);
  struct sched_param fifo = {1}, other = {0};
  if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) != 0) {
    puts("SCHED_FIFO not permitted");
    return 1;
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
  pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
  pthread_attr_setschedparam(&attr, &other);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  static pthread_t threads[NumThreads];
  for (int i = 0; i < NumThreads; ++i)
    if (pthread_create(&threads[i], &attr, worker, 0) != 0)
      return 1;
  int started_before_last = atomic_load(&started);
  pthread_setschedparam(pthread_self(), SCHED_OTHER, &other);
  while (atomic_load(&finished) != NumThreads)
    usleep(1000);
  pthread_mutex_lock(&state_mu);
  if (hold)
    pthread_join(threads[NumThreads - 1], 0);
  pthread_mutex_unlock(&state_mu);
  for (int i = 0; i < NumThreads - (hold ? 1 : 0); ++i)
    pthread_join(threads[i], 0);
  printf("%d threads; %s started before the last was created\n", NumThreads,
         started_before_last < 1024 ? "fewer than 1024" : "1024 or more");
  return 0;
}

// CHECK: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// CHECK-NEXT: Cycle in lock and wait graph: state_mu (0x{{[0-9a-f]+}}) => thread:worker => state_mu
// CHECK: Thread T0 joins thread:worker here while holding state_mu:

// OUT: 1500 threads; fewer than 1024 started before the last was created
