// pthread_tryjoin_np, pthread_timedjoin_np and pthread_clockjoin_np are
// joins too. A timed join while holding a lock is a blocking call under it,
// but no wait-holding-lock cycle with a thread that takes the lock: it gives
// up at its deadline, so it cannot wait forever. Once any of them joined,
// the joined thread's run happened before what the joiner does next (the
// start/join filter): a pair main takes only after it joined the thread
// that took the reverse cannot deadlock with it. The results pass through.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t timed 2>&1 | FileCheck %s --check-prefix=TIMED --implicit-check-not=WARNING
// RUN: %lockgraph run --show-suppressed -- %t clock 2>&1 | FileCheck %s --check-prefix=TEARDOWN
// RUN: %lockgraph run --show-suppressed -- %t try 2>&1 | FileCheck %s --check-prefix=TEARDOWN
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t past_its_lock;
static int use_barrier;

static void *take_a_then_b(void *arg) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  if (use_barrier)
    pthread_barrier_wait(&past_its_lock);
  return arg;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "timed";
  pthread_t t;
  void *ret = 0;
  int r;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  if (!strcmp(mode, "timed")) {
    // The thread is past its locks before main takes a: no hang.
    use_barrier = 1;
    pthread_barrier_init(&past_its_lock, 0, 2);
    pthread_create(&t, 0, take_a_then_b, &t);
    pthread_barrier_wait(&past_its_lock);
    pthread_mutex_lock(&a);
    r = pthread_timedjoin_np(t, &ret, &deadline);
    pthread_mutex_unlock(&a);
    printf("timedjoin %d %d\n", r, ret == &t);
    return 0;
  }
  pthread_create(&t, 0, take_a_then_b, &t);
  if (!strcmp(mode, "clock")) {
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 60;
    r = pthread_clockjoin_np(t, &ret, CLOCK_MONOTONIC, &deadline);
  } else {
    while ((r = pthread_tryjoin_np(t, &ret)) == EBUSY)
      sched_yield();
  }
  printf("joined %d %d\n", r, ret == &t);
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return 0;
}

// TIMED: WARNING: lockgraph: blocking call 'pthread_timedjoin_np' while holding a lock
// TIMED-NEXT: Thread T0 called pthread_timedjoin_np {{.*}} while holding 'a', at:
// TIMED: timedjoin 0 1

// TEARDOWN: joined 0 1
// TEARDOWN: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// TEARDOWN-NEXT: note: not reported: start/join order: 'a' -> 'b' (thread 'T1') and 'b' -> 'a' (thread 'T0')
// TEARDOWN: 0 findings (1 more ruled out
