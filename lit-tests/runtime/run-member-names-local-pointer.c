// A lock taken through a local pointer made from a member (`pthread_mutex_t
// *ql = &w->q->lock; pthread_mutex_lock(ql)`, nng's `nni_mtx *mtx =
// &eq->eq_mtx`) is named at run time by that member, as `lockgraph check`
// names it, so the two halves' cycles are one finding. A pointer copied from
// such a pointer is followed too. A pointer assigned again between its
// declaration and the lock call may point elsewhere, and a parameter is
// whatever the caller passed: those keep the place of the acquisition.
// REQUIRES: runtime, analyzer
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang %s -o %t/prog
// RUN: not %lockgraph run --keep-graphs=%t/rt -- %t/prog > %t/run.out 2>&1
// RUN: FileCheck %s --check-prefix=RUN-CYCLE --input-file=%t/run.out
// RUN: cat %t/rt/*.json | FileCheck %s --check-prefix=NAMES
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db --export-graph=%t/static.json > /dev/null 2>&1
// RUN: not %lockgraph report %t/static.json %t/rt/*.json > %t/both.out 2>&1
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t/both.out
#include <pthread.h>
#include <stdlib.h>

struct queue {
  int n;
  pthread_mutex_t lock;
};
struct server {
  int x;
  pthread_mutex_t mu;
  pthread_mutex_t spare;
  pthread_mutex_t other;
};
struct work {
  struct queue *q;
  struct server *s;
};

static void lock_given(pthread_mutex_t *given) {
  pthread_mutex_lock(given);
  pthread_mutex_unlock(given);
}

static void *worker(void *arg) {
  struct work *w = arg;
  pthread_mutex_t *ql = &w->q->lock;
  pthread_mutex_t *sl = &w->s->mu;
  pthread_mutex_t *copy = sl;
  pthread_mutex_lock(ql);
  pthread_mutex_lock(copy);
  pthread_mutex_unlock(copy);
  pthread_mutex_t *moved = &w->s->spare;
  if (w->s->x == 0)
    moved = &w->s->other;
  pthread_mutex_lock(moved);
  pthread_mutex_unlock(moved);
  lock_given(w->s->x == 0 ? &w->s->spare : &w->s->other);
  pthread_mutex_unlock(ql);
  return 0;
}

static void *reverse(void *arg) {
  struct work *w = arg;
  struct queue *q = w->q;
  struct server *s = w->s;
  pthread_mutex_t *first = &s->mu;
  pthread_mutex_lock(first);
  pthread_mutex_lock(&q->lock);
  pthread_mutex_unlock(&q->lock);
  pthread_mutex_unlock(first);
  return 0;
}

int main(void) {
  struct queue *q = calloc(1, sizeof *q);
  struct server *s = calloc(1, sizeof *s);
  pthread_mutex_init(&q->lock, 0);
  pthread_mutex_init(&s->mu, 0);
  pthread_mutex_init(&s->spare, 0);
  pthread_mutex_init(&s->other, 0);
  struct work w = {q, s};
  pthread_t t;
  pthread_create(&t, 0, worker, &w);
  pthread_join(t, 0);
  pthread_create(&t, 0, reverse, &w);
  pthread_join(t, 0);
  return 0;
}

// RUN-CYCLE: warning: potential deadlock: lock order cycle queue::lock -> server::mu -> queue::lock [lockgraph-lock-order]

// NAMES-DAG: "name": "queue::lock"
// NAMES-DAG: "name": "server::mu"
// NAMES-DAG: "name": "mutex@run-member-names-local-pointer.c:[[#@LINE-39]]"
// NAMES-DAG: "name": "mutex@run-member-names-local-pointer.c:[[#@LINE-55]]"

// BOTH: warning: potential deadlock: lock order cycle queue::lock -> server::mu -> queue::lock (confirmed at run time) [lockgraph-lock-order]
// BOTH: 1 finding.
