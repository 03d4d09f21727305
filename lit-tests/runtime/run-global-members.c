// Under `lockgraph run`, a lock inside a global aggregate is named as its
// member -- `g_state.a`, `g_table.buckets[2].mu` -- instead of `g_state+8`;
// a struct whose one member is a lock is that lock (`g_wrapped`), and a
// global that is a lock keeps its name.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.graphs
// RUN: not %lockgraph run --keep-graphs=%t.graphs -- %t
// RUN: cat %t.graphs/*.json | FileCheck %s
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --check-prefix=CYCLE
#include <pthread.h>

struct state {
  int x;
  pthread_mutex_t a;
  pthread_mutex_t b;
} g_state = {0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
struct bucket {
  int n;
  pthread_mutex_t mu;
};
struct table {
  long pad;
  struct bucket buckets[4];
} g_table;
struct plat_mtx {
  pthread_mutex_t mtx;
};
static struct plat_mtx g_wrapped = {PTHREAD_MUTEX_INITIALIZER};
pthread_mutex_t g_plain = PTHREAD_MUTEX_INITIALIZER;

static void *forward(void *arg) {
  pthread_mutex_lock(&g_state.a);
  pthread_mutex_lock(&g_table.buckets[2].mu);
  pthread_mutex_unlock(&g_table.buckets[2].mu);
  pthread_mutex_unlock(&g_state.a);
  return arg;
}

static void *backward(void *arg) {
  pthread_mutex_lock(&g_table.buckets[2].mu);
  pthread_mutex_lock(&g_state.a);
  pthread_mutex_unlock(&g_state.a);
  pthread_mutex_unlock(&g_table.buckets[2].mu);
  return arg;
}

int main(void) {
  pthread_mutex_init(&g_table.buckets[2].mu, 0);
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, backward, 0);
  pthread_join(t, 0);
  pthread_mutex_lock(&g_plain);
  pthread_mutex_lock(&g_wrapped.mtx);
  pthread_mutex_lock(&g_state.b);
  pthread_mutex_unlock(&g_state.b);
  pthread_mutex_unlock(&g_wrapped.mtx);
  pthread_mutex_unlock(&g_plain);
  return 0;
}

// CHECK-DAG: "g_state.a"
// CHECK-DAG: "g_state.b"
// CHECK-DAG: "g_table.buckets[2].mu"
// CHECK-DAG: "g_wrapped"
// CHECK-DAG: "g_plain"
// CHECK-NOT: "g_{{[a-z_]+}}+{{[0-9]+}}"

// CYCLE: warning: potential deadlock: lock order cycle {{g_state.a -> g_table.buckets\[2\].mu -> g_state.a|g_table.buckets\[2\].mu -> g_state.a -> g_table.buckets\[2\].mu}} [lockgraph-lock-order]
