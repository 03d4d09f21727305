// A function that returns an object it locked, or NULL having locked
// nothing or released it (unbound's views_enter_view_name "returns with
// WRlock", memcached's assoc_get_iterator), is a lock function by its
// result: no missing unlock there, and its callers hold the object's lock
// where the pointer is not null (the write under it is reported, the unlock
// is not of an unheld lock). A getter that locks on every path returns
// holding it. In the BUG build one failure path returns NULL still holding
// the view's lock: a missing unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

struct view {
  pthread_rwlock_t lock;
  int broken;
};
struct views {
  pthread_rwlock_t lock;
};
struct view *view_create(void);
int tree_insert(struct views *vs, struct view *v);
void view_delete(struct view *v);

// Returns with the new view's write lock held, or NULL.
static struct view *enter_view(struct views *vs) {
  struct view *v = view_create();
  if (!v)
    return NULL;
  pthread_rwlock_wrlock(&vs->lock);
  pthread_rwlock_wrlock(&v->lock);
#if defined(BUG)
  if (v->broken) {
    pthread_rwlock_unlock(&vs->lock);
    // BUG: [[@LINE+1]]:5: warning: 'view::lock' is still held when 'enter_view' returns on this path [lockgraph-missing-unlock]
    return NULL;
  }
#endif
  if (!tree_insert(vs, v)) {
    pthread_rwlock_unlock(&v->lock);
    view_delete(v);
    pthread_rwlock_unlock(&vs->lock);
    return NULL;
  }
  pthread_rwlock_unlock(&vs->lock);
  return v;
}

int apply_view(struct views *vs, int fd) {
  struct view *v = enter_view(vs);
  if (!v)
    return 0;
  // OK: [[@LINE+1]]:3: warning: blocking call to 'write' while holding 'view::lock' [lockgraph-blocking-under-lock]
  write(fd, "v", 1);
  pthread_rwlock_unlock(&v->lock);
  return 1;
}

struct view *current_view(void);

// Returns the current view with its read lock held.
static struct view *lock_current_view(void) {
  struct view *v = current_view();
  pthread_rwlock_rdlock(&v->lock);
  return v;
}

void show_view(int fd) {
  struct view *v = lock_current_view();
  // OK: [[@LINE+1]]:3: warning: blocking call to 'write' while holding 'view::lock' [lockgraph-blocking-under-lock]
  write(fd, "c", 1);
  pthread_rwlock_unlock(&v->lock);
}
