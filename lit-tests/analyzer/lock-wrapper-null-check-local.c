// A lock wrapper that does nothing for a null lock (`if (p) lock(p)`,
// SQLite's sqlite3_mutex_enter), called with a local pointer that may be
// null: the lock is held exactly when that pointer is not, so a release
// under `if (mutex_open)` releases it on every path that took it (SQLite's
// sqlite3BtreeOpen). No missing unlock. In the BUG build the error path
// returns without that release: reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG
#include <pthread.h>

struct mx {
  pthread_mutex_t m;
};

void mx_enter(struct mx *p) {
  if (p)
    pthread_mutex_lock(&p->m);
}
void mx_leave(struct mx *p) {
  if (p)
    pthread_mutex_unlock(&p->m);
}
struct mx *mx_alloc(int id); // NULL when not thread-safe

int open_shared(int shared_cache, int fail) {
  struct mx *mutex_open = 0;
  int rc = 0;
  if (shared_cache) {
    mutex_open = mx_alloc(1);
    mx_enter(mutex_open);
  }
  if (fail) {
    rc = 1;
#ifdef BUG
    return rc;
#endif
  }
  if (mutex_open)
    mx_leave(mutex_open);
  return rc;
}

// BUG: lock-wrapper-null-check-local.c:37:5: warning: 'open_shared::mutex_open' is still held when 'open_shared' returns on this path [lockgraph-missing-unlock]
