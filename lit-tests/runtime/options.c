// LOCKGRAPH_OPTIONS: an unknown key is one warning line and is ignored;
// exitcode=N turns findings into a failing exit status; suppressions and
// report_at_exit=0 silence the report.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %env_lg_opts=no_such_flag=1 LD_PRELOAD=%preload %t ordered 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: %env_lg_opts=exitcode=66 LD_PRELOAD=%preload not %t 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %env_lg_opts=exitcode=66 LD_PRELOAD=%preload %t; test $? -eq 66
// RUN: %env_lg_opts=exitcode=66 LD_PRELOAD=%preload %t ordered
// RUN: echo "lock-order:mu_b" > %t.supp
// RUN: %env_lg_opts=suppressions=%t.supp:exitcode=66 LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: %env_lg_opts=report_at_exit=0 LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: %env_lg_opts=help=1 LD_PRELOAD=%preload %t ordered 2>&1 | FileCheck %s --check-prefix=HELP
#include <pthread.h>
#include <string.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *take(void *p) {
  pthread_mutex_t **m = p;
  pthread_mutex_lock(m[0]);
  pthread_mutex_lock(m[1]);
  pthread_mutex_unlock(m[1]);
  pthread_mutex_unlock(m[0]);
  return 0;
}

int main(int argc, char **argv) {
  int ordered = argc > 1 && strcmp(argv[1], "ordered") == 0;
  pthread_mutex_t *ab[2] = {&mu_a, &mu_b}, *ba[2] = {&mu_b, &mu_a};
  pthread_t t;
  pthread_create(&t, 0, take, ab);
  pthread_join(t, 0);
  pthread_create(&t, 0, take, ordered ? ab : ba);
  pthread_join(t, 0);
  return 0;
}

// UNKNOWN: lockgraph: unknown option 'no_such_flag' in LOCKGRAPH_OPTIONS, ignored
// UNKNOWN-NOT: lockgraph
// REPORT: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// HELP: lockgraph: LOCKGRAPH_OPTIONS flags
// HELP: exitcode=0
// HELP: abort_on_deadlock=0
