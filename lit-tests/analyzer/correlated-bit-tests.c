// A lock taken and released under the same bit test of a member (APR's
// pollset_lock_rings/pollset_unlock_rings: `if (pollset->flags &
// APR_POLLSET_THREADSAFE)`) is released on every path that took it. Twin
// OTHER_BIT: the release tests another bit, and the path that locks but
// does not unlock is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/same "" %s
// RUN: %lockgraph check -p %t/same 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER_BIT" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

#define POLLSET_THREADSAFE 0x2
enum { POLLSET_NOCOPY = 0x4 };

#if defined(OTHER_BIT)
#define UNLOCK_BIT POLLSET_NOCOPY
#else
#define UNLOCK_BIT POLLSET_THREADSAFE
#endif

struct pollset {
  unsigned flags;
  pthread_mutex_t *ring_lock;
  int ring;
};

int pollset_remove(struct pollset *ps) {
  if (ps->flags & POLLSET_THREADSAFE)
    pthread_mutex_lock(ps->ring_lock);
  ps->ring--;
  if (ps->flags & UNLOCK_BIT)
    pthread_mutex_unlock(ps->ring_lock);
  // CHECK: [[@LINE+1]]:3: warning: 'pollset::ring_lock' is still held when 'pollset_remove' returns on this path [lockgraph-missing-unlock]
  return 0;
}

int pollset_add(struct pollset *ps) {
  if (ps->flags & POLLSET_NOCOPY)
    pthread_mutex_lock(ps->ring_lock);
  ps->ring++;
  if (ps->flags & POLLSET_NOCOPY)
    pthread_mutex_unlock(ps->ring_lock);
  return 0;
}
