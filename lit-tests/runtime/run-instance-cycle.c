// Two accounts whose mutexes are first locked at the same line are two
// instances of one class (mutex@...:N and mutex@...:N#2). Each of two
// processes transfers both ways: a cycle between its instances, reported
// once although the processes are merged by class, and drawn by
// --format=dot.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- sh -c '%t; %t' 2>&1 | FileCheck %s
// RUN: not %lockgraph run --format=dot -o %t.dot -- sh -c '%t; %t'
// RUN: FileCheck %s --check-prefix=DOT < %t.dot
#include <pthread.h>
#include <stdlib.h>

struct account {
  pthread_mutex_t mu;
  int balance;
};

static void transfer(struct account *from, struct account *to) {
  pthread_mutex_lock(&from->mu);
  pthread_mutex_lock(&to->mu);
  from->balance--;
  to->balance++;
  pthread_mutex_unlock(&to->mu);
  pthread_mutex_unlock(&from->mu);
}

static struct account *a, *b;
static void *a_to_b(void *unused) { transfer(a, b); return 0; }
static void *b_to_a(void *unused) { transfer(b, a); return 0; }

int main(void) {
  a = calloc(1, sizeof *a);
  b = calloc(1, sizeof *b);
  pthread_mutex_init(&a->mu, 0);
  pthread_mutex_init(&b->mu, 0);
  struct account *all[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    pthread_mutex_lock(&all[i]->mu); // both first locked here
    pthread_mutex_unlock(&all[i]->mu);
  }
  pthread_t x, y;
  pthread_create(&x, 0, a_to_b, 0);
  pthread_join(x, 0);
  pthread_create(&y, 0, b_to_a, 0);
  pthread_join(y, 0);
  return 0;
}

// CHECK: warning: potential deadlock: lock order cycle mutex@run-instance-cycle.c:39 -> mutex@run-instance-cycle.c:39#2 -> mutex@run-instance-cycle.c:39 [lockgraph-lock-order]
// CHECK-NOT: warning:
// CHECK: 1 finding.
// DOT-DAG: [[A:n[0-9]+]] [label="mutex@run-instance-cycle.c:39"];
// DOT-DAG: [[B:n[0-9]+]] [label="mutex@run-instance-cycle.c:39#2"];
// DOT-DAG: [[A]] -> [[B]] [label="1", color=red
// DOT-DAG: [[B]] -> [[A]] [label="1", color=red
