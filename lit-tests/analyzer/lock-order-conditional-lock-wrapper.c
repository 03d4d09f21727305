// Lock wrappers that lock and unlock a pointer field's mutex only when the
// pointer is set (APR's allocator_lock/allocator_unlock: `if
// (allocator->mutex) apr_thread_mutex_lock(allocator->mutex)`) take and
// release it as a pair: the balanced pool_alloc, called under another lock
// of the same type, neither releases that lock (no unlock of an unheld
// lock after it) nor hides the order taken after it, here half of a cycle.
// Twin ORDERED: rebuild takes the locks in the same order, and nothing is
// reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/cycle "" %s
// RUN: not %lockgraph check -p %t/cycle 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/ordered "-DORDERED" %s
// RUN: %lockgraph check -p %t/ordered 2>&1 | count 0
#include <pthread.h>

typedef struct lock {
  void *owner;
  pthread_mutex_t mutex;
} lock_t;

int lock_acquire(lock_t *l) { return pthread_mutex_lock(&l->mutex); }
int lock_release(lock_t *l) { return pthread_mutex_unlock(&l->mutex); }

struct pool {
  lock_t *mutex;
  int used;
};

static void pool_lock(struct pool *p) {
  if (p->mutex)
    lock_acquire(p->mutex);
}

static void pool_unlock(struct pool *p) {
  if (p->mutex)
    lock_release(p->mutex);
}

int pool_alloc(struct pool *p) {
  pool_lock(p);
  p->used++;
  pool_unlock(p);
  return 0;
}

lock_t *registry;
pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

void add_entry(struct pool *p) {
  lock_t *r = registry;
  lock_acquire(r);
  pool_alloc(p);
  pthread_mutex_lock(&index_lock);
  pthread_mutex_unlock(&index_lock);
  lock_release(r);
}

void rebuild(void) {
#if defined(ORDERED)
  lock_acquire(registry);
  pthread_mutex_lock(&index_lock);
#else
  pthread_mutex_lock(&index_lock);
  lock_acquire(registry);
#endif
  lock_release(registry);
  pthread_mutex_unlock(&index_lock);
}

// CHECK: warning: potential deadlock: lock order cycle
