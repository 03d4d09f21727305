// A function of a header that two programs of one database include
// (Inputs/ordered-pair.h, used first by Inputs/a-first-header-user.c)
// belongs to every program that includes it: its lock order and this
// program's reverse one are a cycle in this program.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "-I%S/Inputs" %S/Inputs/a-first-header-user.c %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "ordered-pair.h"

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  pthread_mutex_lock(&second);
  pthread_mutex_lock(&first);
  pthread_mutex_unlock(&first);
  pthread_mutex_unlock(&second);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  first_then_second();
  pthread_join(t, 0);
  return 0;
}

// CHECK: warning: potential deadlock: lock order cycle first -> second -> first [lockgraph-lock-order]
