// A thread cancelled in pthread_cond_wait: glibc relocks the mutex and the
// cancellation cleanup handler unlocks it. The runtime counts the relock
// (during the forced unwind), so the handler's unlock is not reported as an
// unlock of an unheld lock. The puts under the lock in main is reported,
// and the output is the same as without the preload.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %t > %t.native
// RUN: env LD_PRELOAD=%preload %t > %t.preload 2> %t.err
// RUN: diff %t.native %t.preload
// RUN: FileCheck %s < %t.err
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t g_queue_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_queue_cv = PTHREAD_COND_INITIALIZER;
int g_waiting;

static void unlock_queue(void *m) { pthread_mutex_unlock(m); }

static void *consumer(void *p) {
  pthread_mutex_lock(&g_queue_mu);
  pthread_cleanup_push(unlock_queue, &g_queue_mu);
  g_waiting = 1;
  for (;;)
    pthread_cond_wait(&g_queue_cv, &g_queue_mu);
  pthread_cleanup_pop(1);
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, consumer, 0);
  for (;;) {
    pthread_mutex_lock(&g_queue_mu);
    int waiting = g_waiting;
    pthread_mutex_unlock(&g_queue_mu);
    if (waiting)
      break;
    usleep(1000);
  }
  pthread_cancel(t);
  void *result;
  pthread_join(t, &result);
  pthread_mutex_lock(&g_queue_mu);
  puts(result == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
  pthread_mutex_unlock(&g_queue_mu);
  return 0;
}

// CHECK-NOT: unheld
// CHECK: WARNING: lockgraph: blocking call 'puts' while holding a lock
// CHECK-NEXT: Thread T0 called puts {{.*}} while holding 'g_queue_mu'
// CHECK-NOT: unheld
