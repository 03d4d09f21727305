// Lock methods called through a table of function pointers (SQLite's
// sqlite3_mutex_enter calls sqlite3GlobalConfig.mutex.xMutexEnter, which
// holds pthreadMutexEnter, or noopMutexEnter when locking is off): a call
// through the table's field has the effect its functions have, when those
// that do anything agree and the others do nothing, so the wrappers around
// the table are lock wrappers and their callers' cycle is found. It was
// missed: after a call through the field no lock was held. A field whose
// functions do different things (`on_event`, a callback) is no lock method:
// calling it twice is no double lock. The fixed twin takes the locks in one
// order and is silent.
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
typedef struct mutex_methods {
  void (*xEnter)(mtx *);
  void (*xLeave)(mtx *);
} mutex_methods;

static void pthreadEnter(mtx *p) { pthread_mutex_lock(&p->mutex); }
static void pthreadLeave(mtx *p) { pthread_mutex_unlock(&p->mutex); }
static void noopEnter(mtx *p) { (void)p; }
static void noopLeave(mtx *p) { (void)p; }

static const mutex_methods pthread_methods = {pthreadEnter, pthreadLeave};
static const mutex_methods noop_methods = {noopEnter, noopLeave};
static struct {
  int threadsafe;
  mutex_methods mutex;
} config;

void configure(int threadsafe) {
  config.threadsafe = threadsafe;
  config.mutex = threadsafe ? pthread_methods : noop_methods;
}

void mtx_enter(mtx *p) {
  if (p)
    config.mutex.xEnter(p);
}
void mtx_leave(mtx *p) {
  if (p)
    config.mutex.xLeave(p);
}

// A callback field: one function locks and keeps the lock, another does
// something else. Calling it is no acquisition.
struct handler {
  void (*on_event)(mtx *);
};
static mtx g_events = {PTHREAD_MUTEX_INITIALIZER, 9};
static int counter;
static void lock_for_later(mtx *p) { pthread_mutex_lock(&p->mutex); }
static void count_event(mtx *p) {
  (void)p;
  ++counter;
}
struct handler handlers[] = {{lock_for_later}, {count_event}};

void fire(struct handler *h) {
  h->on_event(&g_events);
  h->on_event(&g_events);
}

static mtx g_a = {PTHREAD_MUTEX_INITIALIZER, 1};
static mtx g_b = {PTHREAD_MUTEX_INITIALIZER, 2};

static void *t1(void *x) {
  mtx_enter(&g_a);
  mtx_enter(&g_b);
  mtx_leave(&g_b);
  mtx_leave(&g_a);
  return x;
}
static void *t2(void *x) {
#ifdef FIXED
  mtx_enter(&g_a);
  mtx_enter(&g_b);
  mtx_leave(&g_b);
  mtx_leave(&g_a);
#else
  mtx_enter(&g_b);
  mtx_enter(&g_a);
  mtx_leave(&g_a);
  mtx_leave(&g_b);
#endif
  return x;
}

int main(void) {
  configure(1);
  pthread_t a, b;
  pthread_create(&a, NULL, t1, NULL);
  pthread_create(&b, NULL, t2, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  fire(&handlers[1]);
  return 0;
}

// CHECK: lock-methods-table.c:[[#@LINE-31]]:3: warning: potential deadlock: lock order cycle {{.*}}
// CHECK: 1 finding.
