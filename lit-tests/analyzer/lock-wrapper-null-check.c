// A lock wrapper that does nothing for a null lock (SQLite's
// `sqlite3_mutex_enter(p) { if (p) ... }`, or an early return) returns
// holding the lock whenever there is one: its callers hold it. Two threads
// taking two such locks in opposite orders make a cycle, which was missed
// when a lock held on the non-null path only was no effect of the wrapper.
// The fixed twin takes them in one order and is silent.
// RUN: sh %S/Inputs/mkdb.sh %t "" %s
// RUN: not %lockgraph check -p %t --no-cache 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t.fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t.fixed --no-cache 2>&1 | count 0
#include <pthread.h>
#include <stddef.h>

typedef struct mtx {
  pthread_mutex_t mutex;
  int id;
} mtx;

void mtx_enter(mtx *p) {
  if (p)
    pthread_mutex_lock(&p->mutex);
}
void mtx_leave(mtx *p) {
  if (p)
    pthread_mutex_unlock(&p->mutex);
}
void raw_enter(pthread_mutex_t *m) {
  if (m == NULL)
    return;
  pthread_mutex_lock(m);
}
void raw_leave(pthread_mutex_t *m) {
  if (m != NULL)
    pthread_mutex_unlock(m);
}

static mtx g_a = {PTHREAD_MUTEX_INITIALIZER, 1};
static pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;

static void *t1(void *x) {
  mtx_enter(&g_a);
  raw_enter(&g_b);
  raw_leave(&g_b);
  mtx_leave(&g_a);
  return x;
}
static void *t2(void *x) {
#ifdef FIXED
  mtx_enter(&g_a);
  raw_enter(&g_b);
  raw_leave(&g_b);
  mtx_leave(&g_a);
#else
  raw_enter(&g_b);
  mtx_enter(&g_a);
  mtx_leave(&g_a);
  raw_leave(&g_b);
#endif
  return x;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, t1, NULL);
  pthread_create(&b, NULL, t2, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

// CHECK: lock-wrapper-null-check.c:55:3: warning: potential deadlock: lock order cycle g_b -> mtx::mutex -> g_b [lockgraph-lock-order]
// CHECK: lock-wrapper-null-check.c:55:3: note: 'mtx::mutex' acquired here while holding 'g_b'
// CHECK: lock-wrapper-null-check.c:42:3: note: 'g_b' acquired here while holding 'mtx::mutex'
