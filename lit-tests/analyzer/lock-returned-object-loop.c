// A lookup that returns the object it found with the object's lock held
// (or NULL), called in a loop that gives the lock back under one test of the
// result and leaves the loop holding it under another (unbound's
// rpz_resolve_client_action_and_zone): no lock is carried into the next
// iteration, so the next lookup's table lock is not taken under the
// object's, and there is no cycle with the lookup's own order (table, then
// object). In the BUG build one path forgets the unlock before it goes on
// to the next entry: that cycle is real.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG
#include <pthread.h>
#include <stddef.h>

struct zone {
  pthread_rwlock_t lock;
  int action;
};
struct zones {
  pthread_rwlock_t lock;
};
struct policy {
  struct policy *next;
  struct zones *zones;
  int overridden;
};
struct zone *zones_find(struct zones *zs);

// Returns the zone with its lock held, or NULL.
static struct zone *find_zone(struct zones *zs) {
  pthread_rwlock_wrlock(&zs->lock); 
  struct zone *z = zones_find(zs);
  if (!z) {
    pthread_rwlock_unlock(&zs->lock);
    return NULL;
  }
  pthread_rwlock_wrlock(&z->lock); // BUG: [[@LINE]]:3: warning: potential deadlock: lock order cycle {{.*}}zone::lock{{.*}} [lockgraph-lock-order]
  pthread_rwlock_unlock(&zs->lock);
  return z;
}

// Returns the first zone that applies, locked, or NULL.
struct zone *resolve(struct policy *first) {
  struct zone *z = NULL;
  for (struct policy *p = first; p; p = p->next) {
    z = find_zone(p->zones);
    if (z && p->overridden) {
#if !defined(BUG)
      pthread_rwlock_unlock(&z->lock);
#endif
      z = NULL;
    }
    if (z)
      break;
  }
  return z;
}
