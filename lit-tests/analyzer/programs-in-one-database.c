// A compile database of several programs, each test its own executable
// with its own main, worker and globals of the same names
// (Inputs/a-first-program.c, first in the database): this program's main
// and worker are analyzed too, each calling its own, and a cycle is one
// program's, shown in its own code. Before, only the first definition of a
// name was kept, and this program's deadlock was missed. Twin TWIN: this
// program takes the locks in one order, the other program in the other:
// two executables, no cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/both "" %S/Inputs/a-first-program.c %s
// RUN: not %lockgraph check -p %t/both 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=a-first-program
// RUN: sh %S/Inputs/mkdb.sh %t/twin "-DTWIN" %S/Inputs/a-first-program.c %s
// RUN: %lockgraph check -p %t/twin 2>&1 | count 0
#include <pthread.h>

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
int counter;

void *worker(void *arg) {
  pthread_mutex_lock(&second);
  pthread_mutex_lock(&first);
  counter++;
  pthread_mutex_unlock(&first);
  pthread_mutex_unlock(&second);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
#ifdef TWIN
  worker(0);
#else
  pthread_mutex_lock(&first);
  pthread_mutex_lock(&second);
  counter++;
  pthread_mutex_unlock(&second);
  pthread_mutex_unlock(&first);
#endif
  pthread_join(t, 0);
  return 0;
}

// CHECK: programs-in-one-database.c:35:3: warning: potential deadlock: lock order cycle first -> second -> first [lockgraph-lock-order]
// CHECK: programs-in-one-database.c:34:3: note: 'first' acquired here
// CHECK: programs-in-one-database.c:35:3: note: 'second' acquired here while holding 'first'
// CHECK: programs-in-one-database.c:20:3: note: 'second' acquired here
// CHECK: programs-in-one-database.c:21:3: note: 'first' acquired here while holding 'second'
