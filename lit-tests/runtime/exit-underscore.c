// _exit, _Exit and quick_exit skip atexit handlers, where the runtime
// reports: they are interposed to report and write the graph file first,
// with the program's exit status (or exitcode= when there are findings). A
// forked child that ends with _exit writes its own graph, which 'lockgraph
// run' merges; a signal handler that calls _exit gets the report too.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: sh -c 'LD_PRELOAD=%preload %t _exit; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c 'LD_PRELOAD=%preload %t _Exit; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c 'LD_PRELOAD=%preload %t handler; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c 'LD_PRELOAD=%preload %t quick_exit; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c 'LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=exitcode=9 %t _exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=EXITCODE
// RUN: not %lockgraph run -- %t child 2>&1 | FileCheck %s --check-prefix=CHILD
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *ab(void *p) {
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *ba(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

// Two sibling threads make the cycle: neither starts or joins the other.
static void make_cycle(void) {
  pthread_t t;
  pthread_create(&t, 0, ab, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, ba, 0);
  pthread_join(t, 0);
}

static void on_term(int sig) {
  (void)sig;
  _exit(3);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "_exit";
  if (strcmp(mode, "child") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      make_cycle();
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
  }
  make_cycle();
  if (strcmp(mode, "handler") == 0) {
    signal(SIGTERM, on_term);
    raise(SIGTERM);
  }
  if (strcmp(mode, "_Exit") == 0)
    _Exit(3);
  if (strcmp(mode, "quick_exit") == 0)
    quick_exit(3);
  _exit(3);
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: mu_{{[ab]}} ({{.*}}) => mu_{{[ab]}} ({{.*}}) => mu_{{[ab]}}
// CHECK: status=3

// EXITCODE: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// EXITCODE: status=9

// CHILD: lockgraph: 2 processes recorded
// CHILD: exit-underscore.c:{{[0-9]+}}:{{[0-9]+}}: warning: potential deadlock: lock order cycle
