// fexecve and execveat run a program named by a file descriptor (glibc's
// fexecve makes the execveat system call itself, below the PLT, so neither
// reaches the execve hook): both are interposed on their own, so the cycle
// recorded before the exec is still reported and its graph written, and the
// new image gets exactly the arguments it was given. A failed exec returns
// the program its own error, as without the preload (the report was printed
// before the attempt; the runtime records nothing after it).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %env_lg_opts=output_dir=%t.dir LD_PRELOAD=%preload %t fexecve 2>&1 | FileCheck %s --check-prefixes=CHECK,FEXECVE
// RUN: ls %t.dir | FileCheck %s --check-prefix=FILES
// RUN: env LD_PRELOAD=%preload %t execveat 2>&1 | FileCheck %s --check-prefixes=CHECK,EXECVEAT
// RUN: env LD_PRELOAD=%preload %t failing 2>&1 | FileCheck %s --check-prefix=FAILING
// RUN: %t failing 2>&1 | FileCheck %s --check-prefix=NATIVE
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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

extern char **environ;

int main(int argc, char **argv) {
  if (argc > 2) { // the new image
    printf("new image: %s %s\n", argv[1], argv[2]);
    return 0;
  }
  pthread_t t;
  pthread_create(&t, 0, fwd, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  char *args[] = {argv[0], argv[1], "again", 0};
  if (strcmp(argv[1], "failing") == 0) {
    // A descriptor that is not open: the exec fails with EBADF.
    int r = fexecve(1000, args, environ);
    printf("fexecve returned %d, errno %s\n", r, errno == EBADF ? "EBADF" : strerror(errno));
    return 0;
  }
  int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
  if (strcmp(argv[1], "fexecve") == 0)
    fexecve(fd, args, environ);
  else
    execveat(fd, "", args, environ, AT_EMPTY_PATH);
  perror("exec");
  return 1;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_a
// FEXECVE: new image: fexecve again
// EXECVEAT: new image: execveat again
// FILES-DAG: lockgraph.{{[0-9]+}}.exec-{{[0-9a-f]+}}.json
// FILES-DAG: lockgraph.{{[0-9]+}}.json

// FAILING: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// FAILING: fexecve returned -1, errno EBADF
// NATIVE: fexecve returned -1, errno EBADF
