// In C a mutex is made recursive by an attribute, in whatever function
// initializes it (SQLite's pthreadMutexAlloc, for SQLITE_MUTEX_RECURSIVE
// only): a lock of that struct member, reached through any object, or of a
// member that points to such a struct (SQLite's `sqlite3::mutex`), may be
// locked again by the thread that holds it. That is no certain double lock
// (both were reported as self-deadlocks). The twin whose struct's
// initializer sets no recursive attribute is reported, twice.
// RUN: sh %S/Inputs/mkdb.sh %t "" %s
// RUN: %lockgraph check -p %t --no-cache 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t.plain "-DPLAIN" %s
// RUN: not %lockgraph check -p %t.plain --no-cache 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdlib.h>

typedef struct mtx {
  pthread_mutex_t mutex;
  int id;
} mtx;

mtx *mtx_alloc(int recursive) {
  mtx *p = malloc(sizeof *p);
#ifndef PLAIN
  if (recursive) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&p->mutex, &a);
    pthread_mutexattr_destroy(&a);
    return p;
  }
#endif
  pthread_mutex_init(&p->mutex, 0);
  return p;
}
void mtx_enter(mtx *p) {
  if (p)
    pthread_mutex_lock(&p->mutex);
}
void mtx_leave(mtx *p) {
  if (p)
    pthread_mutex_unlock(&p->mutex);
}

typedef struct db {
  mtx *mutex;
  int n;
} db;
static void step(db *d) {
  mtx_enter(d->mutex);
  d->n++;
  mtx_leave(d->mutex);
}
void exec(db *d) {
  mtx_enter(d->mutex);
  step(d);
  mtx_leave(d->mutex);
}

struct direct {
  pthread_mutex_t m;
  int n;
};
void init_direct(struct direct *x) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
#ifndef PLAIN
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
#endif
  pthread_mutex_init(&x->m, &a);
}
static void inner(struct direct *x) {
  pthread_mutex_lock(&x->m);
  x->n++;
  pthread_mutex_unlock(&x->m);
}
void outer(struct direct *x) {
  pthread_mutex_lock(&x->m);
  inner(x);
  pthread_mutex_unlock(&x->m);
}

// CHECK-DAG: recursive-attr-c-struct.c:[[#@LINE-27]]:3: warning: double lock of '{{.*}}': 'step' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
// CHECK-DAG: recursive-attr-c-struct.c:[[#@LINE-5]]:3: warning: double lock of 'direct::m': 'inner' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
