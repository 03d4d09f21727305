// A fork child starts with an empty graph: edges its threads make are
// recorded again there, including thread:worker -> state_mu, which the
// parent had already recorded for the same lock (the lock's table slot
// remembers that; the child must not believe it). The child joins a worker
// while holding the lock the worker took: a wait-holding-lock cycle in the
// child only. Sequenced so that it never hangs.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t worker_done_with_lock;

static void *worker(void *p) {
  pthread_mutex_lock(&state_mu);
  pthread_mutex_unlock(&state_mu);
  pthread_barrier_wait(&worker_done_with_lock);
  return p;
}

static pthread_t start_worker(void) {
  pthread_barrier_init(&worker_done_with_lock, 0, 2);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_barrier_wait(&worker_done_with_lock);
  return t;
}

int main(void) {
  // Parent: two workers at once take state_mu (the second one, on a thread
  // state of its own, leaves the mark in the lock's slot); the joins hold
  // nothing.
  pthread_barrier_init(&worker_done_with_lock, 0, 3);
  pthread_t a, b;
  pthread_create(&a, 0, worker, 0);
  pthread_create(&b, 0, worker, 0);
  pthread_barrier_wait(&worker_done_with_lock);
  pthread_join(a, 0);
  pthread_join(b, 0);
  pid_t child = fork();
  if (child == 0) {
    pthread_t t = start_worker();
    pthread_mutex_lock(&state_mu);
    pthread_join(t, 0); // holding the lock the worker takes
    pthread_mutex_unlock(&state_mu);
    return 0;
  }
  int status;
  waitpid(child, &status, 0);
  return 0;
}

// One report, the child's.
// CHECK: WARNING: lockgraph: wait while holding a lock
// CHECK-NEXT: Cycle in lock and wait graph: state_mu {{.*}} => thread:worker => state_mu
// CHECK: Thread T0 joins thread:worker here while holding state_mu:
// CHECK: Lock state_mu acquired here by thread:worker
// CHECK: SUMMARY: lockgraph: wait-holding-lock {{.*}}fork-thread-class.c:47
// CHECK-NOT: WARNING: lockgraph: wait
