// A signal handler that runs while its thread is blocked in a lock call the
// mutex fast path made (the mutex is already on the held stack, but not the
// thread's yet): the handler's own lock, unlock and write are not under that
// mutex. Nothing is recorded or reported for them: no blocking call "while
// holding g_waited", no g_waited -> g_handler pair (which, with the helper's
// g_handler -> g_waited, would be a false cycle), no unlock of an unheld lock.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t g_waited = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_handler = PTHREAD_MUTEX_INITIALIZER;
sem_t g_go, g_held;
pthread_t g_main;
int g_null_fd;
volatile sig_atomic_t g_handled;

static void on_signal(int sig) {
  (void)sig;
  pthread_mutex_lock(&g_handler);
  write(g_null_fd, "x", 1);
  pthread_mutex_unlock(&g_handler);
  g_handled = 1;
}

static void spin_ms(long ms) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do
    clock_gettime(CLOCK_MONOTONIC, &now);
  while ((now.tv_sec - start.tv_sec) * 1000 +
             (now.tv_nsec - start.tv_nsec) / 1000000 <
         ms);
}

static void *helper(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_handler);
  pthread_mutex_lock(&g_waited);
  pthread_mutex_unlock(&g_waited);
  pthread_mutex_unlock(&g_handler);
  sem_wait(&g_go);
  pthread_mutex_lock(&g_waited);
  sem_post(&g_held);
  spin_ms(200); // main is blocked in its lock call by now
  pthread_kill(g_main, SIGUSR1);
  spin_ms(200);
  pthread_mutex_unlock(&g_waited);
  return 0;
}

int main(void) {
  alarm(60);
  g_null_fd = open("/dev/null", O_WRONLY);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, 0);
  sem_init(&g_go, 0, 0);
  sem_init(&g_held, 0, 0);
  g_main = pthread_self();
  pthread_t t;
  pthread_create(&t, 0, helper, 0);
  for (int i = 0; i < 1000; ++i) {
    if (i == 999) {
      sem_post(&g_go);
      sem_wait(&g_held);
    }
    pthread_mutex_lock(&g_waited); // the last one blocks, on the fast path
    pthread_mutex_unlock(&g_waited);
  }
  pthread_join(t, 0);
  fprintf(stderr, "handled: %s\n", g_handled ? "yes" : "no");
  return 0;
}

// CHECK-NOT: WARNING
// CHECK: handled: yes
// CHECK-NOT: WARNING
