// A real deadlock between lock calls the runtime has seen many times from the
// same place: the mutex fast path pushes each mutex before the real call and
// jumps to it, so the watchdog knows the threads wait only from the mutexes'
// owner fields. It still finds the cycle, with both stacks, and aborts.
// Each thread first takes its two locks 1000 times alone (the other waits),
// then both take them at once, from the same call sites, and deadlock.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=abort_on_deadlock=1:watchdog_interval_ms=100 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <unistd.h>

enum { Rounds = 1000 };

pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t g_phase, g_both_hold;

struct worker {
  pthread_mutex_t *first, *second;
  int alone_in_phase;
};

static void take_both(pthread_mutex_t *first, pthread_mutex_t *second,
                      int meet) {
  pthread_mutex_lock(first);
  if (meet)
    pthread_barrier_wait(&g_both_hold);
  pthread_mutex_lock(second);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i <= 2 * Rounds; ++i) {
    if (i == Rounds || i == 2 * Rounds)
      pthread_barrier_wait(&g_phase);
    int phase = i / Rounds;
    if (phase == 2 || phase == w->alone_in_phase)
      take_both(w->first, w->second, phase == 2);
  }
  return 0;
}

int main(void) {
  alarm(60);
  pthread_barrier_init(&g_phase, 0, 2);
  pthread_barrier_init(&g_both_hold, 0, 2);
  struct worker ab = {&g_a, &g_b, 0}, ba = {&g_b, &g_a, 1};
  pthread_t t1, t2;
  pthread_create(&t1, 0, work, &ab);
  pthread_create(&t2, 0, work, &ba);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: deadlock (pid={{[0-9]+}})
// CHECK-NEXT: Threads waiting for each other: T{{[12]}} => T{{[12]}} => T{{[12]}}
// CHECK-DAG: is blocked acquiring 'g_b' (0x{{[0-9a-f]+}}) held by thread T{{[12]}}, at:
// CHECK-DAG: is blocked acquiring 'g_a' (0x{{[0-9a-f]+}}) held by thread T{{[12]}}, at:
// CHECK-DAG: holds 'g_a' (0x{{[0-9a-f]+}}), acquired at:
// CHECK-DAG: holds 'g_b' (0x{{[0-9a-f]+}}), acquired at:
// CHECK-DAG: #{{[0-9]+}} take_both {{.*}}real-deadlock-fast-path.c:29
// CHECK-DAG: #{{[0-9]+}} take_both {{.*}}real-deadlock-fast-path.c:26
// CHECK: SUMMARY: lockgraph: deadlock {{.*}}real-deadlock-fast-path.c:29
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
