// Signals arriving in the middle of lock calls: a handler that takes its own
// mutex (and writes) while the interrupted code is inside an interposed lock
// or unlock must not corrupt the held-lock bookkeeping (no unlock-unheld, no
// bogus cycle), and the program must behave as without the preload.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_handler = PTHREAD_MUTEX_INITIALIZER;
volatile sig_atomic_t ticks;

static void on_tick(int sig) {
  (void)sig;
  pthread_mutex_lock(&mu_handler);
  ++ticks;
  pthread_mutex_unlock(&mu_handler);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_tick;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, 0);
  struct itimerval it = {{0, 200}, {0, 200}};
  setitimer(ITIMER_REAL, &it, 0);
  long n = 0;
  while (ticks < 2000 && n < 500000000) {
    pthread_mutex_lock(&mu_a);
    pthread_mutex_lock(&mu_b);
    ++n;
    pthread_mutex_unlock(&mu_b);
    pthread_mutex_unlock(&mu_a);
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, 0);
  fprintf(stderr, "ticks: %s\n", ticks >= 2000 ? "enough" : "too few");
  return 0;
}

// CHECK-NOT: WARNING
// CHECK: ticks: enough
// CHECK-NOT: WARNING
