// A fork child starts holding the locks its parent's thread held at fork,
// but has no other thread that could wait for them: its blocking calls
// under those alone are not reported (libuv writes a failed exec's errno to
// a pipe under the loop lock it forked under). A lock the child takes
// itself counts as in any process, and so does the parent's own blocking
// call.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --implicit-check-not=WARNING
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_rwlock_t g_cloexec_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t g_child_mu = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  int err_pipe[2];
  pipe(err_pipe);
  pthread_rwlock_wrlock(&g_cloexec_lock);
  pid_t child = fork();
  if (child == 0) {
    write(err_pipe[1], "e", 1); // under the inherited lock only: silent
    pthread_mutex_lock(&g_child_mu);
    write(err_pipe[1], "f", 1); // under a lock of its own: reported
    pthread_mutex_unlock(&g_child_mu);
    _exit(127);
  }
  pthread_rwlock_unlock(&g_cloexec_lock);
  int status;
  waitpid(child, &status, 0);
  pthread_rwlock_wrlock(&g_cloexec_lock);
  char buf[2];
  read(err_pipe[0], buf, 2); // the parent's own: reported
  pthread_rwlock_unlock(&g_cloexec_lock);
  printf("child status %d\n", WEXITSTATUS(status));
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'write' while holding a lock
// CHECK: #0 main {{.*}}fork-child-inherited-lock.c:[[@LINE-17]]
// CHECK: WARNING: lockgraph: blocking call 'read' while holding a lock
// CHECK: 'g_cloexec_lock'
// CHECK: #0 main {{.*}}fork-child-inherited-lock.c:[[@LINE-10]]
// CHECK: child status 127
