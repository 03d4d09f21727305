// A mutex used as a binary semaphore: main locks it, another thread unlocks
// it. That unlock is reported (unlocking a mutex the thread does not hold is
// undefined for a pthread mutex), and main forgets the lock: its next lock
// of it is not a self-deadlock, a later puts is not a blocking call under
// it, and the lock it takes next is not recorded as taken under it (so the
// reverse order, other -> sem, in a third thread is no cycle).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %t > %t.native
// RUN: env LD_PRELOAD=%preload %t > %t.preload 2> %t.err
// RUN: diff %t.native %t.preload
// RUN: FileCheck %s < %t.err
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t sem = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;

static void *releaser(void *p) {
  pthread_mutex_unlock(&sem);
  return p;
}

static void *reverse_order(void *p) {
  pthread_mutex_lock(&other);
  pthread_mutex_lock(&sem);
  pthread_mutex_unlock(&sem);
  pthread_mutex_unlock(&other);
  return p;
}

int main(void) {
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&sem);
    pthread_t t;
    pthread_create(&t, 0, releaser, 0);
    pthread_join(t, 0);
    pthread_mutex_lock(&other);
    pthread_mutex_unlock(&other);
  }
  pthread_t t;
  pthread_create(&t, 0, reverse_order, 0);
  pthread_join(t, 0);
  puts("done");
  return 0;
}

// CHECK-NOT: WARNING
// CHECK: WARNING: lockgraph: unlock of an unheld lock
// CHECK-NEXT: Thread T1 unlocks 'sem' (0x{{[0-9a-f]+}}), which it does not hold, at:
// CHECK-NEXT: #0 releaser {{.*}}unlock-other-thread.c:20
// CHECK-NOT: WARNING
