// Two threads that really deadlock: the watchdog finds the cycle of waiting
// threads, reports it with every thread's stacks, and (abort_on_deadlock=1)
// aborts instead of hanging. alarm() bounds the test if it did not.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: %env_lg_opts=abort_on_deadlock=1:watchdog_interval_ms=100 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t g_both_hold;

void *first(void *) {
  pthread_mutex_lock(&g_a);
  pthread_barrier_wait(&g_both_hold);
  pthread_mutex_lock(&g_b);
  return nullptr;
}

void *second(void *) {
  pthread_mutex_lock(&g_b);
  pthread_barrier_wait(&g_both_hold);
  pthread_mutex_lock(&g_a);
  return nullptr;
}

int main() {
  alarm(60);
  pthread_barrier_init(&g_both_hold, nullptr, 2);
  pthread_t t1, t2;
  pthread_create(&t1, nullptr, first, nullptr);
  pthread_create(&t2, nullptr, second, nullptr);
  pthread_join(t1, nullptr);
  pthread_join(t2, nullptr);
  return 0;
}

// CHECK: WARNING: lockgraph: deadlock (pid={{[0-9]+}})
// CHECK-NEXT: Threads waiting for each other: T{{[12]}} => T{{[12]}} => T{{[12]}}
// CHECK-DAG: is blocked acquiring 'g_b' (0x{{[0-9a-f]+}}) held by thread T{{[12]}}, at:
// CHECK-DAG: is blocked acquiring 'g_a' (0x{{[0-9a-f]+}}) held by thread T{{[12]}}, at:
// CHECK-DAG: holds 'g_a' (0x{{[0-9a-f]+}}), acquired at:
// CHECK-DAG: holds 'g_b' (0x{{[0-9a-f]+}}), acquired at:
// CHECK: SUMMARY: lockgraph: deadlock {{.*}}real-deadlock.cpp:{{17|24}}
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
