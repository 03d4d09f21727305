// The waiter itself once notified the condition variable while holding the
// lock it later waits under (nng's main thread starts a worker under its
// init lock, and at exit waits under that lock for the worker to end). The
// only notifier that can end the wait, the worker, takes no lock: no
// wait-holding-lock cycle, also when the program runs twice under
// `lockgraph run` (it was reported then: each process's cv -> L and L -> cv
// were taken for two threads'). The wait under L is still a blocking call.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: not %lockgraph run -- sh -c '%t; %t' 2>&1 | FileCheck %s --check-prefix=TWICE
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t g_init = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_started, g_waiting, g_done;

static void *worker(void *Arg) {
  pthread_mutex_lock(&g_m);
  while (!g_started)
    pthread_cond_wait(&g_cv, &g_m);
  // Main sets g_waiting under g_m and releases g_m only by waiting.
  while (!g_waiting) {
    pthread_mutex_unlock(&g_m);
    usleep(1000);
    pthread_mutex_lock(&g_m);
  }
  g_done = 1;
  pthread_cond_broadcast(&g_cv);
  pthread_mutex_unlock(&g_m);
  return Arg;
}

int main(void) {
  pthread_t T;
  pthread_create(&T, 0, worker, 0);
  pthread_mutex_lock(&g_init);
  pthread_mutex_lock(&g_m);
  g_started = 1;
  pthread_cond_broadcast(&g_cv);
  pthread_mutex_unlock(&g_m);
  pthread_mutex_unlock(&g_init);

  pthread_mutex_lock(&g_init);
  pthread_mutex_lock(&g_m);
  g_waiting = 1;
  while (!g_done)
    pthread_cond_wait(&g_cv, &g_m);
  pthread_mutex_unlock(&g_m);
  pthread_mutex_unlock(&g_init);
  pthread_join(T, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'pthread_cond_wait' while holding a lock
// CHECK-NOT: WARNING

// TWICE-NOT: wait-holding-lock
// TWICE: cv-self-notify.c:50:5: warning: blocking call 'pthread_cond_wait' while holding 'g_init' {{.*}}(seen 2 times in 2 processes) [lockgraph-blocking-under-lock]
// TWICE-NOT: wait-holding-lock
// TWICE: 1 finding
