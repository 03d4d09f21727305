// A vfork child shares the parent's memory until it execs: its execve must
// not run the parent's exit report (which would mark the parent's runtime as
// finished). The parent still reports its own cycle at exit (between two
// threads it ran one after the other, one before the vfork, one after).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *fwd(void *p) {
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *rev(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, fwd, 0);
  pthread_join(t, 0);
  pid_t pid = vfork();
  if (pid == 0) {
    char *args[] = {"/bin/true", 0}, *env[] = {0};
    execve("/bin/true", args, env);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  fprintf(stderr, "child status %d\n", WEXITSTATUS(status));
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK-NOT: WARNING
// CHECK: child status 0
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_a
