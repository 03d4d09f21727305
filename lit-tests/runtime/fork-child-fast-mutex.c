// A fork child holding a mutex its parent's thread took on the mutex fast
// path: the mutex's owner field names the parent's thread, not the child's,
// yet the child holds it. What the child takes under it is recorded: its
// g_inherited -> g_child_mu and its second thread's reverse order make a
// cycle in the child's report. (The second thread is started before the
// child takes g_child_mu, so no thread start orders the two; it takes the
// reverse order once the child has released both, told through a pipe.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t g_inherited = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_child_mu = PTHREAD_MUTEX_INITIALIZER;
int g_go[2];

static void *reverse_order(void *arg) {
  (void)arg;
  char c;
  if (read(g_go[0], &c, 1) != 1)
    return 0;
  pthread_mutex_lock(&g_child_mu);
  pthread_mutex_lock(&g_inherited);
  pthread_mutex_unlock(&g_inherited);
  pthread_mutex_unlock(&g_child_mu);
  return 0;
}

int main(void) {
  pid_t child = 0;
  for (int i = 0; i < 100; ++i) {
    pthread_mutex_lock(&g_inherited); // from the second time on: fast path
    if (i == 99)
      child = fork();
    if (child == 0 && i == 99) {
      pthread_t t;
      if (pipe(g_go) != 0)
        return 1;
      pthread_create(&t, 0, reverse_order, 0);
      pthread_mutex_lock(&g_child_mu);
      pthread_mutex_unlock(&g_child_mu);
      pthread_mutex_unlock(&g_inherited);
      if (write(g_go[1], "", 1) != 1)
        return 1;
      pthread_join(t, 0);
      return 0;
    }
    pthread_mutex_unlock(&g_inherited);
  }
  int status;
  waitpid(child, &status, 0);
  printf("child status %d\n", WEXITSTATUS(status));
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: g_{{child_mu|inherited}} {{.*}} => g_{{child_mu|inherited}} {{.*}} => g_
// CHECK: Lock g_child_mu acquired here while holding g_inherited (thread T0):
// CHECK-NEXT: #0 main {{.*}}fork-child-fast-mutex.c:43
// CHECK: child status 0
