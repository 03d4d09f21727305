// The rest of the blocking calls the static half knows, at run time: waits
// for children (system, waitpid), semaphores, barriers, vectored writes and
// getline, each reported when made while holding a lock, and silent
// without one.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t locked 2>&1 >/dev/null | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 >/dev/null | count 0
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t g_jobs_mu = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  int locked = argc > 1 && strcmp(argv[1], "locked") == 0;
  sem_t ready;
  sem_init(&ready, 0, 1);
  pthread_barrier_t alone;
  pthread_barrier_init(&alone, 0, 1);
  if (locked)
    pthread_mutex_lock(&g_jobs_mu);
  if (system("true") != 0)
    return 1;
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  waitpid(child, 0, 0);
  sem_wait(&ready);
  pthread_barrier_wait(&alone);
  struct iovec line[2] = {{"ok", 2}, {"\n", 1}};
  writev(1, line, 2);
  FILE *empty = fopen("/dev/null", "r");
  char *buf = 0;
  size_t cap = 0;
  getline(&buf, &cap, empty);
  if (locked)
    pthread_mutex_unlock(&g_jobs_mu);
  fclose(empty);
  free(buf);
  return 0;
}

// CHECK-DAG: blocking call 'system' while holding a lock
// CHECK-DAG: blocking call 'waitpid' while holding a lock
// CHECK-DAG: blocking call 'sem_wait' while holding a lock
// CHECK-DAG: blocking call 'pthread_barrier_wait' while holding a lock
// CHECK-DAG: blocking call 'writev' while holding a lock
// CHECK-DAG: blocking call 'getline' while holding a lock
