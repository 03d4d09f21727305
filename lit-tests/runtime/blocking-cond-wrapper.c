// A condition-variable wait made through the program's own wrappers
// (nng's nni_cv_wait -> nni_plat_cv_wait -> pthread_cond_wait) while
// holding another lock: the report points at the caller of the outermost
// wrapper, where the program waits, not at the wrapper every wait goes
// through (all of nng's waits were reported at one line of
// posix_thread.c). Twin: the same wait without the other lock is silent.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t held 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: not %lockgraph run -- %t held 2>&1 | FileCheck %s --check-prefix=TOOL
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t g_registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_task_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_task_cv = PTHREAD_COND_INITIALIZER;
static int g_task_done, g_waiting;

__attribute__((noinline)) static void plat_cv_wait(pthread_cond_t *Cv,
                                                   pthread_mutex_t *M) {
  pthread_cond_wait(Cv, M);
}

__attribute__((noinline)) static void cv_wait(pthread_cond_t *Cv,
                                              pthread_mutex_t *M) {
  plat_cv_wait(Cv, M);
}

static void *task(void *Arg) {
  // Ends the wait only once main waits (it sets g_waiting under g_task_mu
  // and releases it only by waiting).
  pthread_mutex_lock(&g_task_mu);
  while (!g_waiting) {
    pthread_mutex_unlock(&g_task_mu);
    usleep(1000);
    pthread_mutex_lock(&g_task_mu);
  }
  g_task_done = 1;
  pthread_cond_broadcast(&g_task_cv);
  pthread_mutex_unlock(&g_task_mu);
  return Arg;
}

int main(int argc, char **argv) {
  int Held = argc > 1 && strcmp(argv[1], "held") == 0;
  pthread_t T;
  pthread_create(&T, 0, task, 0);
  if (Held)
    pthread_mutex_lock(&g_registry);
  pthread_mutex_lock(&g_task_mu);
  g_waiting = 1;
  while (!g_task_done)
    cv_wait(&g_task_cv, &g_task_mu);
  pthread_mutex_unlock(&g_task_mu);
  if (Held)
    pthread_mutex_unlock(&g_registry);
  pthread_join(T, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'pthread_cond_wait' while holding a lock
// CHECK: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-cond-wrapper.c:55:{{[0-9]+}} in main

// TOOL: blocking-cond-wrapper.c:55:5: warning: blocking call 'pthread_cond_wait' while holding 'g_registry'
// TOOL-NEXT: blocking-cond-wrapper.c:51:{{[0-9]+}}: note: 'g_registry' was acquired here
