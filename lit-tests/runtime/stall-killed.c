// A hung process is usually killed (ctest's TIMEOUT, `timeout`, a CI job's
// limit) before it can write its graph at exit: the watchdog writes the
// graph when it reports the hang, so `lockgraph run` still reports the stall
// after a SIGKILL, naming the process. A process killed without a hang leaves nothing, which
// `lockgraph run` says.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.graphs
// RUN: not %lockgraph run --keep-graphs=%t.graphs --runtime-options=stall_seconds=1:watchdog_interval_ms=100 -- timeout -s KILL 4 %t 2>&1 | FileCheck %s
// RUN: ls %t.graphs | FileCheck %s --check-prefix=FILES
// RUN: not %lockgraph run -- timeout -s KILL 1 %t quiet 2>&1 | FileCheck %s --check-prefix=QUIET
// A child forked after the hang, which exits normally, leaves the parent's
// graph alone:
// RUN: not %lockgraph run --runtime-options=stall_seconds=1:watchdog_interval_ms=100 -- timeout -s KILL 4 %t fork 2>&1 | FileCheck %s --check-prefix=FORK
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;

static void *waiter(void *arg) {
  pthread_mutex_lock(&registry); // CHECK-DAG: stall-killed.c:[[@LINE]]:3: note: thread T1 waits for 'registry' here
  pthread_mutex_unlock(&registry);
  return arg;
}

static void *forker(void *arg) {
  sleep(2); // after the stall's report
  pid_t Child = fork();
  if (Child == 0)
    exit(0);
  waitpid(Child, 0, 0);
  return arg;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "quiet") == 0) {
    sleep(30);
    return 0;
  }
  pthread_t t, f;
  if (argc > 1 && strcmp(argv[1], "fork") == 0)
    pthread_create(&f, 0, forker, 0);
  pthread_mutex_lock(&registry); // CHECK-DAG: stall-killed.c:[[@LINE]]:3: note: 'registry' acquired here by thread T0
  pthread_create(&t, 0, waiter, 0);
  sleep(30); // CHECK-DAG: stall-killed.c:[[@LINE]]:3: warning: stall: thread T0 has been in sleep for {{[0-9.]+}} s holding 'registry', for which thread T1 has waited {{[0-9.]+}} s [lockgraph-stall]
  pthread_mutex_unlock(&registry);
  pthread_join(t, 0);
  return 0;
}

// CHECK: note: seen in process 'stall-killed.c.tmp' (pid {{[0-9]+}})

// FILES: lockgraph.{{[0-9]+}}.hang.json

// FORK: warning: stall: thread T0 has been in sleep for {{[0-9.]+}} s holding 'registry'

// QUIET: warning: no process wrote a lock graph: none loaded the runtime ({{.*}}), or each was killed before it exited
