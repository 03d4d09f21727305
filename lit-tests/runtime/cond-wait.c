// pthread_cond_wait is modelled as release + reacquire of its mutex:
// - while waiting, the mutex is not held (no edge mu -> other from the
//   signalling thread's point of view, no unlock-unheld at the end);
// - after the wait the mutex is held again, so mu -> mu_b taken after the
//   wait and mu_b -> mu elsewhere form a cycle;
// - waiting while holding another lock (mu_outer) is a blocking call.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_outer = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
int ready;

static void *signaller(void *p) {
  pthread_mutex_lock(&mu);
  ready = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return p;
}

static void *reverse(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&mu_b);
  return p;
}

static void *waiter(void *p) {
  pthread_t t;
  pthread_mutex_lock(&mu_outer);
  pthread_mutex_lock(&mu);
  pthread_create(&t, 0, signaller, 0);
  while (!ready)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&mu_outer);
  pthread_join(t, 0);
  return p;
}

int main(void) {
  // waiter and reverse are siblings: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, waiter, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK-NOT: unlock of an unheld lock
// CHECK: WARNING: lockgraph: blocking call 'pthread_cond_wait' while holding a lock
// CHECK-NEXT: Thread T1 called pthread_cond_wait (took {{.*}} ms) while holding 'mu_outer'
// CHECK: SUMMARY: lockgraph: blocking-under-lock {{.*}}cond-wait.c:40:{{[0-9]+}} in waiter
// CHECK-NOT: unlock of an unheld lock
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu ({{.*}}) => mu_b ({{.*}}) => mu
// CHECK-NOT: unlock of an unheld lock
