// Thread start/join order: a pair of locks main takes only before it starts
// the thread that takes them the other way round (set-up) or only after it
// joined it (tear-down) can never deadlock with it, and the cycle is ruled
// out with that reason. A pair taken while the thread runs is a deadlock,
// even when something else (here a semaphore) kept the two apart in this
// run: only starts and joins order threads for the filter. So are two
// threads main runs one after the other (start, join, start): as two tests
// of a suite, their orders are checked against each other.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t setup 2>&1 | count 0
// RUN: %lockgraph run --show-suppressed -- %t setup 2>&1 | FileCheck %s --check-prefix=SETUP
// RUN: not %lockgraph run --disable-filter=start-join -- %t setup 2>&1 | FileCheck %s --check-prefix=UNFILTERED
// RUN: env LD_PRELOAD=%preload %t alongside 2>&1 | FileCheck %s --check-prefix=ALONGSIDE
// RUN: env LD_PRELOAD=%preload %t one-after-the-other 2>&1 | FileCheck %s --check-prefix=SIBLINGS
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static sem_t worker_done, main_done;
static int wait_for_main;

static void *take_a_then_b(void *arg) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  if (wait_for_main) {
    sem_post(&worker_done);
    sem_wait(&main_done);
  }
  return arg;
}

static void *take_b_then_a(void *arg) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return arg;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  sem_init(&worker_done, 0, 0);
  sem_init(&main_done, 0, 0);
  pthread_t t;
  if (!strcmp(mode, "one-after-the-other")) {
    pthread_create(&t, 0, take_a_then_b, 0);
    pthread_join(t, 0);
    pthread_create(&t, 0, take_b_then_a, 0);
    pthread_join(t, 0);
    return 0;
  }
  if (!strcmp(mode, "setup"))
    take_b_then_a(0);
  wait_for_main = !strcmp(mode, "alongside");
  pthread_create(&t, 0, take_a_then_b, 0);
  if (wait_for_main) {
    sem_wait(&worker_done);
    take_b_then_a(0);
    sem_post(&main_done);
  }
  pthread_join(t, 0);
  if (!strcmp(mode, "setup"))
    take_b_then_a(0);
  return 0;
}

// SETUP: start-join-order.c:27:3: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// SETUP-NEXT: start-join-order.c:27:3: note: not reported: start/join order: 'a' -> 'b' (thread 'T1') and 'b' -> 'a' (thread 'T0') were never taken at the same time: one of the threads took its pair only before it started the other (or a thread that did) or after it joined it
// SETUP-NOT: warning:
// SETUP: 0 findings (1 more ruled out

// UNFILTERED: start-join-order.c:27:3: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// UNFILTERED: 1 finding.

// ALONGSIDE: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// ALONGSIDE-NEXT: Cycle in lock order graph: a ({{.*}}) => b ({{.*}}) => a
// ALONGSIDE: Lock b acquired here while holding a (thread T1):
// ALONGSIDE: Lock a acquired here while holding b (thread T0):

// SIBLINGS: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// SIBLINGS: Lock b acquired here while holding a (thread T1):
// SIBLINGS: Lock a acquired here while holding b (thread T2):
