// The branch where fork() returned 0 runs in the child process, alone: the
// locks its parent held at fork are copies nobody else can wait for, so a
// blocking call there is no blocking call under a lock (libuv's spawn opens
// files in the child under the loop lock it forked under, through a pointer
// parameter). The twin makes the same calls in the parent's branch.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/child "" %s
// RUN: %lockgraph check -p %t/child 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/parent "-DPARENT" %s
// RUN: not %lockgraph check -p %t/parent 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static pthread_rwlock_t cloexec_lock = PTHREAD_RWLOCK_INITIALIZER;

static void child_init(const char *path) {
  int fd = open(path, O_RDONLY);
  dup2(fd, 0);
  execl(path, path, (char *)0);
  _exit(127);
}

static int spawn_fork(const char *path, pid_t *pid) {
  *pid = fork();
#ifdef PARENT
  if (*pid != 0) {
#else
  if (*pid == 0) {
#endif
    child_init(path);
    abort();
  }
  return *pid < 0 ? -1 : 0;
}

int spawn(const char *path) {
  pid_t pid;
  pthread_rwlock_wrlock(&cloexec_lock);
  int err = spawn_fork(path, &pid);
  pthread_rwlock_unlock(&cloexec_lock);
  return err;
}

int spawn_direct(const char *path) {
  pthread_rwlock_wrlock(&cloexec_lock);
  pid_t pid = fork();
#ifdef PARENT
  if (pid > 0)
#else
  if (pid == 0)
#endif
    child_init(path);
  pthread_rwlock_unlock(&cloexec_lock);
  return pid < 0 ? -1 : 0;
}

// CLEAN-NOT: warning:
// CHECK: fork-child-branch.c:[[@LINE-19]]:13: warning: call to 'spawn_fork' may block in 'open' while holding 'cloexec_lock' [lockgraph-blocking-under-lock]
// CHECK: fork-child-branch.c:[[@LINE-7]]:5: warning: call to 'child_init' may block in 'open' while holding 'cloexec_lock' [lockgraph-blocking-under-lock]
