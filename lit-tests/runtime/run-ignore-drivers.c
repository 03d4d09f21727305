// lockgraph run records nothing in the test drivers it starts the suite with
// (a program named ctest, make, ninja, ...): their own locks (ctest's libuv)
// are not the code under test. The tests they run are recorded. With
// ignore_programs= the driver is recorded too.
// REQUIRES: runtime
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %clang %s -o %t.d/ctest
// RUN: cp %t.d/ctest %t.d/a_test
// RUN: not %lockgraph run -- %t.d/ctest %t.d/a_test > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=DRIVER-IGNORED < %t.out
// RUN: not %lockgraph run --runtime-options=ignore_programs= -- %t.d/ctest %t.d/a_test 2>&1 | FileCheck %s --check-prefix=DRIVER-RECORDED
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void driver_log(void) {
  pthread_mutex_lock(&mu);
  write(1, "", 0); // DRIVER
  pthread_mutex_unlock(&mu);
}

static void test_log(void) {
  pthread_mutex_lock(&mu);
  write(1, "", 0); // TEST
  pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    test_log();
    return 0;
  }
  driver_log();
  pid_t child = fork();
  if (child == 0) {
    execl(argv[1], argv[1], (char *)0);
    _exit(127);
  }
  int status;
  waitpid(child, &status, 0);
  return 0;
}

// DRIVER-IGNORED-NOT: unknown option
// DRIVER-IGNORED: lockgraph: 1 process recorded
// DRIVER-IGNORED-NOT: warning:
// DRIVER-IGNORED: run-ignore-drivers.c:26:{{[0-9]+}}: warning: blocking call 'write' while holding 'mu'
// DRIVER-IGNORED-NOT: warning:
// DRIVER-IGNORED: 1 finding.

// DRIVER-RECORDED: lockgraph: 2 processes recorded
// DRIVER-RECORDED-DAG: run-ignore-drivers.c:20:{{[0-9]+}}: warning: blocking call 'write' while holding 'mu'
// DRIVER-RECORDED-DAG: run-ignore-drivers.c:26:{{[0-9]+}}: warning: blocking call 'write' while holding 'mu'
// DRIVER-RECORDED: 2 findings.
