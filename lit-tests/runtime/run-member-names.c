// Under `lockgraph run`, a lock that is no global is named by the member its
// first acquisition names, by the type that declares it -- as `lockgraph
// check` names it -- instead of by that place (`mutex@file:line`): the base
// variable of `&q->lock` is looked up in the debug information of the
// acquiring frame. A typedef names an anonymous struct (queue_t::lock); a
// struct whose one member is a lock is that lock (server::in, as the
// analyzer says); pthread_spinlock_t is a lock too. A lock reached through
// a parameter of its own (`take(&local)` -> `pthread_mutex_lock(m)`) has no
// member to name and keeps its place. Without `lockgraph run`'s
// symbolizer the preload names places, as before; both halves name the
// cycle alike.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: rm -rf %t.graphs
// RUN: not %lockgraph run --keep-graphs=%t.graphs -- %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=CYCLE < %t.out
// RUN: cat %t.graphs/*.json | FileCheck %s --check-prefix=NAMES
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=PRELOAD
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t.db "" %s
// RUN: not %lockgraph check -p %t.db --no-cache 2>&1 | FileCheck %s --check-prefix=CYCLE
#include <pthread.h>
#include <stdlib.h>

typedef struct {
  int n;
  pthread_mutex_t lock;
} queue_t;
struct inner {
  pthread_mutex_t mu;
};
struct server {
  int x;
  struct inner in;
  pthread_spinlock_t spin;
};
struct work {
  queue_t *q;
  struct server *s;
};

static void take(pthread_mutex_t *m) { pthread_mutex_lock(m); }

static void *worker(void *arg) {
  struct work *w = arg;
  pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&w->q->lock);
  pthread_mutex_lock(&w->s->in.mu);
  pthread_spin_lock(&w->s->spin);
  take(&local);
  pthread_mutex_unlock(&local);
  pthread_spin_unlock(&w->s->spin);
  pthread_mutex_unlock(&w->s->in.mu);
  pthread_mutex_unlock(&w->q->lock);
  return 0;
}

static void *reverse(void *arg) {
  struct work *w = arg;
  pthread_mutex_lock(&w->s->in.mu);
  pthread_mutex_lock(&w->q->lock);
  pthread_mutex_unlock(&w->q->lock);
  pthread_mutex_unlock(&w->s->in.mu);
  return 0;
}

int main(void) {
  queue_t *q = calloc(1, sizeof *q);
  struct server *s = calloc(1, sizeof *s);
  pthread_mutex_init(&q->lock, 0);
  pthread_mutex_init(&s->in.mu, 0);
  pthread_spin_init(&s->spin, 0);
  struct work w = {q, s};
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, worker, &w);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, &w);
  pthread_join(t, 0);
  return 0;
}

// CYCLE: warning: potential deadlock: lock order cycle queue_t::lock -> server::in -> queue_t::lock [lockgraph-lock-order]

// NAMES-DAG: "name": "queue_t::lock"
// NAMES-DAG: "name": "server::in"
// NAMES-DAG: "name": "server::spin"
// NAMES-DAG: "name": "mutex@run-member-names.c:[[#@LINE-46]]"

// PRELOAD: Cycle in lock order graph: mutex@run-member-names.c:{{[0-9]+}} ({{.*}}) => mutex@run-member-names.c:{{[0-9]+}} ({{.*}}) => mutex@run-member-names.c:{{[0-9]+}}
