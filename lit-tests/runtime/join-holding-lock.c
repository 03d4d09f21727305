// Joining a thread while holding a lock that the thread takes is a deadlock
// waiting to happen (the thread blocks on the lock, the joiner on the
// thread): the join is an edge state_mu -> thread:worker of the graph, the
// worker's outermost acquisition an edge thread:worker -> state_mu, and the
// cycle is reported at exit as wait-holding-lock. The run is sequenced so
// that the worker takes the lock before main does: it never hangs.
// The fixed twin joins after unlocking and is silent. Two processes that each
// make one half are merged by 'lockgraph run' (thread classes are named by
// their start routine, the same in every process).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t locked 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 | count 0
// RUN: not %lockgraph run -- sh -c '%t worker-only; %t join-only' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=MERGED < %t.out
// RUN: %lockgraph run -- %t worker-only 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: not %lockgraph run -- %t join-only 2>&1 | FileCheck %s --check-prefix=HALF
#include <pthread.h>
#include <string.h>

pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t worker_done_with_lock;
int worker_locks = 1;
int use_barrier = 1;

static void *worker(void *p) {
  if (worker_locks) {
    pthread_mutex_lock(&state_mu);
    pthread_mutex_unlock(&state_mu);
  }
  if (use_barrier)
    pthread_barrier_wait(&worker_done_with_lock);
  return p;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "locked";
  int hold = strcmp(mode, "unlocked") != 0 && strcmp(mode, "worker-only") != 0;
  worker_locks = strcmp(mode, "join-only") != 0;
  pthread_barrier_init(&worker_done_with_lock, 0, 2);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  // Wait until the worker is past its lock, so that this run cannot hang.
  pthread_barrier_wait(&worker_done_with_lock);
  pthread_mutex_lock(&state_mu);
  if (hold)
    pthread_join(t, 0);
  pthread_mutex_unlock(&state_mu);
  if (!hold)
    pthread_join(t, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: wait while holding a lock (potential deadlock) (pid={{[0-9]+}})
// CHECK-NEXT: Cycle in lock and wait graph: state_mu (0x{{[0-9a-f]+}}) => thread:worker => state_mu
// CHECK: Thread T0 joins thread:worker here while holding state_mu:
// CHECK: #{{[0-9]+}} main {{.*}}join-holding-lock.c:47
// CHECK: Lock state_mu previously acquired by the same thread here:
// CHECK: #{{[0-9]+}} main {{.*}}join-holding-lock.c:45
// CHECK: Lock state_mu acquired here by thread:worker (thread T1):
// CHECK: #{{[0-9]+}} worker {{.*}}join-holding-lock.c:28
// CHECK: thread:worker started here:
// CHECK: #{{[0-9]+}} main {{.*}}join-holding-lock.c:42
// CHECK: SUMMARY: lockgraph: wait-holding-lock {{.*}}join-holding-lock.c:47:{{[0-9]+}} in main

// MERGED: join-holding-lock.c:47:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'state_mu', which the joined thread acquires: cycle state_mu -> thread:worker -> state_mu [lockgraph-wait-holding-lock]
// CLEAN-NOT: warning:
// HALF: warning: blocking call 'pthread_join' while holding 'state_mu'
// HALF-NOT: wait-holding-lock
