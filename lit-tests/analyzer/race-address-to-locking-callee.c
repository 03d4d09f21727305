// The address of a variable passed to a function of the same TU is no
// access at the call: the function's own accesses through it are, named
// after the argument (nng's nng_stats_get passes &stats_root, unlocked, to
// nni_stat_snapshot, which takes stats_lock before it walks the tree; every
// other use passes it under the lock: a false race on 'stats_root').
// Twin UNLOCKED: the snapshot reads the tree without the lock, a race on
// 'stats_root.count' reached through the call.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/locked "" %s
// RUN: %lockgraph check -p %t/locked 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: not %lockgraph check -p %t/unlocked 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stddef.h>

struct stat_item {
  struct stat_item *next;
  struct stat_item *children;
  int count;
};

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stat_item stats_root;

static void stat_add(struct stat_item *parent, struct stat_item *child) {
  child->next = parent->children;
  parent->children = child;
  parent->count++;
}

static void stat_remove_all(struct stat_item *parent) {
  parent->children = NULL;
  parent->count = 0;
}

void stat_register(struct stat_item *child) {
  pthread_mutex_lock(&stats_lock);
  stat_add(&stats_root, child);
  pthread_mutex_unlock(&stats_lock);
}

void stat_unregister_all(void) {
  pthread_mutex_lock(&stats_lock);
  stat_remove_all(&stats_root);
  pthread_mutex_unlock(&stats_lock);
}

static int stat_snapshot(struct stat_item *item) {
  int n;
#ifndef UNLOCKED
  pthread_mutex_lock(&stats_lock);
#endif
  n = item->count;
#ifndef UNLOCKED
  pthread_mutex_unlock(&stats_lock);
#endif
  return n;
}

int stats_get(void) { return stat_snapshot(&stats_root); }

static void *worker(void *arg) {
  static struct stat_item mine;
  (void)arg;
  stat_register(&mine);
  stat_unregister_all();
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  int n = stats_get();
  // CHECK: race-address-to-locking-callee.c:[[@LINE-1]]:11: warning: call to 'stats_get' reads 'stats_root.count' without holding 'stats_lock', which guards it at 2 of 3 accesses [lockgraph-race]
  pthread_join(t, NULL);
  return n;
}
