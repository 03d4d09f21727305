// Two programs of one compile database, each test its own executable, with
// a worker and a global `counter` of the same names
// (Inputs/a-first-race-program.c writes it under its `first`): this
// program writes it under its own `second`. Their accesses are never
// compared: no race. Twin OWN: this program also writes it without its lock
// once, a race of its own, reported with its own accesses only.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/two "" %S/Inputs/a-first-race-program.c %s
// RUN: %lockgraph check -p %t/two 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/own "-DOWN" %S/Inputs/a-first-race-program.c %s
// RUN: not %lockgraph check -p %t/own 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=a-first-race-program
#include <pthread.h>

pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
int counter;

void *worker(void *arg) {
  pthread_mutex_lock(&second);
  counter++;
  pthread_mutex_unlock(&second);
#ifdef OWN
  pthread_mutex_lock(&second);
  counter += 2;
  pthread_mutex_unlock(&second);
  counter = 0;
#endif
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  worker(0);
  pthread_join(t, 0);
  return counter;
}

// CHECK: race-programs-in-one-database.c:24:3: warning: write to 'counter' without holding 'second', which guards it at 4 of 6 accesses [lockgraph-race]
