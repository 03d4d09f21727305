// execl, execle and execlp are variadic and call execve inside glibc, below
// the PLT: they are interposed on their own, so the cycle recorded before
// the exec is still reported (and the graph written), and the new image gets
// exactly the arguments (and, for execle, the environment) it was given.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %env_lg_opts=output_dir=%t.dir LD_PRELOAD=%preload %t execl 2>&1 | FileCheck %s --check-prefixes=CHECK,EXECL
// RUN: ls %t.dir | FileCheck %s --check-prefix=FILES
// RUN: env LD_PRELOAD=%preload %t execle 2>&1 | FileCheck %s --check-prefixes=CHECK,EXECLE
// RUN: env LD_PRELOAD=%preload %t execlp 2>&1 | FileCheck %s --check-prefixes=CHECK,EXECLP
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv) {
  if (argc > 2) { // the new image
    const char *env = getenv("LG_EXECLE");
    fprintf(stderr, "new image: %s %s env=%s\n", argv[1], argv[2],
            env ? env : "(unset)");
    return 0;
  }
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, fwd, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, rev, 0);
  pthread_join(t, 0);
  const char *how = argc > 1 ? argv[1] : "execl";
  if (strcmp(how, "execl") == 0) {
    execl(argv[0], argv[0], "from", "execl", (char *)0);
  } else if (strcmp(how, "execle") == 0) {
    char *envp[] = {"LG_EXECLE=yes", 0};
    execle(argv[0], argv[0], "from", "execle", (char *)0, envp);
  } else {
    // execlp searches PATH for a name without a slash.
    const char *base = strrchr(argv[0], '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(base - argv[0]), argv[0]);
    setenv("PATH", dir, 1);
    execlp(base + 1, base + 1, "from", "execlp", (char *)0);
  }
  perror("exec");
  return 1;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_a ({{.*}}) => mu_b ({{.*}}) => mu_a
// EXECL: new image: from execl env=(unset)
// EXECLE: new image: from execle env=yes
// EXECLP: new image: from execlp env=(unset)
// FILES: lockgraph.{{[0-9]+}}.exec-{{[0-9a-f]+}}.json
