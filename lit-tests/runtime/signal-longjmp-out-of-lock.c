// A signal handler that leaves a blocked lock call with siglongjmp: the
// mutex fast path had pushed the mutex, which the thread then never gets.
// The thread's hooks pass through until it takes that mutex for real; no
// lock it takes meanwhile is reported as unlocked while unheld, and the
// program runs as without the preload. (The helper's sem_wait while
// holding g_waited is a true finding.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --implicit-check-not="unheld lock"
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t g_waited = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_other = PTHREAD_MUTEX_INITIALIZER;
static sem_t g_go, g_held, g_done;
static sigjmp_buf g_env;
static pthread_t g_main;

static void on_signal(int sig) {
  (void)sig;
  siglongjmp(g_env, 1);
}

static void spin_ms(long ms) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do
    clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void *helper(void *arg) {
  sem_wait(&g_go);
  pthread_mutex_lock(&g_waited);
  sem_post(&g_held);
  spin_ms(100); // main is blocked in its lock call by now
  pthread_kill(g_main, SIGUSR1);
  sem_wait(&g_done);
  pthread_mutex_unlock(&g_waited);
  return arg;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, 0);
  g_main = pthread_self();
  sem_init(&g_go, 0, 0);
  sem_init(&g_held, 0, 0);
  sem_init(&g_done, 0, 0);
  pthread_t t;
  pthread_create(&t, 0, helper, 0);
  int abandoned = 0;
  for (int i = 0; i < 100; ++i) {
    if (i == 99) {
      sem_post(&g_go);
      sem_wait(&g_held);
      if (sigsetjmp(g_env, 1)) {
        abandoned = 1;
        break;
      }
    }
    pthread_mutex_lock(&g_waited); // the last one blocks, on the fast path
    pthread_mutex_unlock(&g_waited);
  }
  for (int i = 0; i < 200; ++i) {
    pthread_mutex_lock(&g_other);
    pthread_mutex_unlock(&g_other);
  }
  sem_post(&g_done);
  pthread_join(t, 0);
  pthread_mutex_lock(&g_waited);
  pthread_mutex_unlock(&g_waited);
  fprintf(stderr, "abandoned: %d\n", abandoned);
  return 0;
}

// Reports are printed by the watchdog or at exit: in either order.
// CHECK-DAG: abandoned: 1
// CHECK-DAG: Thread T1 called sem_wait {{.*}} while holding 'g_waited'
