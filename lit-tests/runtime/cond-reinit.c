// A condition variable destroyed and initialized again at the same address
// is a new wait node. Here its first life has a waiter holding `outer`
// (outer -> cv) and its second a notifier that took `outer` before
// signalling (cv -> outer): taken as one node, the two would make a
// wait-holding-lock cycle that no run could ever hit. No report.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// (The waiter's wait under `outer` is a blocking call under a lock, which
// is not what this test is about: detect_blocking=0.)
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=detect_blocking=0 %t 2>&1 | FileCheck %s --allow-empty
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=detect_blocking=0:verbosity=2 %t 2>&1 | FileCheck %s --check-prefix=NODES
#include <pthread.h>
#include <sched.h>

pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv;
int ready, done;

static void *waiter(void *p) {
  pthread_mutex_lock(&outer);
  pthread_mutex_lock(&mu);
  ready = 1; // seen by the notifier only once the wait released mu
  while (!done)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&outer);
  return p;
}

int main(void) {
  // First life: a waiter that holds `outer` across the wait.
  pthread_cond_init(&cv, 0);
  pthread_t t;
  pthread_create(&t, 0, waiter, 0);
  for (;;) {
    pthread_mutex_lock(&mu);
    if (ready) {
      done = 1;
      pthread_cond_signal(&cv);
      pthread_mutex_unlock(&mu);
      break;
    }
    pthread_mutex_unlock(&mu);
    sched_yield();
  }
  pthread_join(t, 0);
  pthread_cond_destroy(&cv);

  // Second life, same address: a notifier that took `outer` first.
  pthread_cond_init(&cv, 0);
  pthread_mutex_lock(&outer);
  pthread_mutex_unlock(&outer);
  pthread_mutex_lock(&mu);
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  pthread_cond_destroy(&cv);
  return 0;
}

// CHECK-NOT: WARNING: lockgraph
// Two instances of cv (two lives), outer, mu and the waiter's thread node.
// NODES: lockgraph: stats: 5 lock instances
