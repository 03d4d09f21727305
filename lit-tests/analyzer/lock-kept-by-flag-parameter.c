// A lookup that keeps the table's lock for its caller when a flag parameter
// asks it to (unbound's rpz_find_zone(..., zones_keep_lock)) returns holding
// that lock exactly when the flag is set: no missing unlock in it, a caller
// that passes 0 holds nothing after the call, and one that passes 1 holds
// the lock until it releases it (its write under the lock is reported, its
// unlock is no unlock of an unheld lock), as does one that passes its own
// flag, where that flag is set. In the BUG build one path of the lookup
// keeps the lock although the flag says not to: a missing unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

struct entry {
  int value;
};
struct table {
  pthread_mutex_t lock;
  int size;
};
struct entry *table_get(struct table *t, int key);

// Returns the entry, or NULL; with keep, returns holding t->lock.
static struct entry *find(struct table *t, int key, int keep) {
  pthread_mutex_lock(&t->lock);
  struct entry *e = table_get(t, key);
  if (!e) {
#if defined(BUG)
    // BUG: [[@LINE+1]]:5: warning: 'table::lock' is still held when 'find' returns on this path [lockgraph-missing-unlock]
    return NULL;
#else
    if (!keep)
      pthread_mutex_unlock(&t->lock);
    return NULL;
#endif
  }
  if (!keep)
    pthread_mutex_unlock(&t->lock);
  return e;
}

int read_value(struct table *t, int key, int fd) {
  struct entry *e = find(t, key, 0);
  write(fd, "r", 1);
  return e ? e->value : -1;
}

void remove_value(struct table *t, int key, int fd) {
  struct entry *e = find(t, key, 1);
  // OK: [[@LINE+1]]:3: warning: blocking call to 'write' while holding 'table::lock' [lockgraph-blocking-under-lock]
  write(fd, "d", 1);
  if (e)
    e->value = 0;
  pthread_mutex_unlock(&t->lock);
}

void visit(struct table *t, int key, int locked_by_caller, int fd) {
  struct entry *e = find(t, key, !locked_by_caller);
  if (e)
    e->value++;
  if (!locked_by_caller)
    pthread_mutex_unlock(&t->lock);
  write(fd, "v", 1);
}
