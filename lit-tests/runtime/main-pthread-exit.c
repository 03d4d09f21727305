// A program whose main ends with pthread_exit (unbound's unittest) ends
// when its last thread does, with status 0, its atexit handlers run and
// its buffered output written, as without the runtime, whose watchdog
// thread the program does not know of: the runtime reports what the
// threads did, the cycle of the worker that outlived main included.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: timeout 120 sh -c 'LD_PRELOAD=%preload %t > %t.out; echo "status=$?" >> %t.out' 2> %t.err
// RUN: FileCheck %s --check-prefix=OUT < %t.out
// RUN: FileCheck %s --check-prefix=REPORT < %t.err
// RUN: timeout 120 %lockgraph run -o %t.run -- %t > /dev/null 2>&1; test $? = 1
// RUN: FileCheck %s --check-prefix=MERGED < %t.run
// OUT: worker done
// OUT-NEXT: atexit handler ran
// OUT-NEXT: status=0
// The program's name and symbols, though its main thread is gone:
// REPORT: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// REPORT-NEXT: Cycle in lock order graph: mu_{{[ab]}} ({{.*}}) => mu_{{[ab]}} ({{.*}}) => mu_{{[ab]}}
// REPORT: #0 outliving {{.*}}main-pthread-exit.c
// MERGED: main-pthread-exit.c:{{[0-9]+}}:{{[0-9]+}}: warning: potential deadlock: lock order cycle mu_{{[ab]}} -> mu_{{[ab]}} -> mu_{{[ab]}} [lockgraph-lock-order]
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

static void *outliving(void *p) {
  usleep(100 * 1000); // main has ended by now
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  printf("worker done\n"); // buffered: written at exit
  return p;
}

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(void) {
  atexit(at_exit);
  pthread_t t;
  pthread_create(&t, 0, ab, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, outliving, 0);
  pthread_detach(t);
  pthread_exit(NULL);
}
