// A lock wrapper called in a loop over a list (SQLite's btreeLockCarefully
// locks each later Btree's BtShared mutex through lockBtreeMutex) takes a
// lock that an earlier iteration may have taken, under a condition: held
// on some paths only, as for a lock taken in the loop itself, that is no
// certain double lock (it was reported as a self-deadlock). A lock held on
// every path to such a call is still one (`twice`).
// RUN: sh %S/Inputs/mkdb.sh %t "" %s
// RUN: not %lockgraph check -p %t --no-cache 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stddef.h>

typedef struct mtx {
  pthread_mutex_t mutex;
} mtx;
void mtx_enter(mtx *p) {
  if (p)
    pthread_mutex_lock(&p->mutex);
}
typedef struct BtShared {
  mtx *mutex;
} BtShared;
typedef struct Btree {
  BtShared *pBt;
  struct Btree *pNext;
  int wantToLock;
  int locked;
} Btree;

static void lockBtreeMutex(Btree *p) {
  mtx_enter(p->pBt->mutex);
  p->locked = 1;
}

void lock_later(Btree *p) {
  lockBtreeMutex(p);
  for (Btree *pLater = p->pNext; pLater; pLater = pLater->pNext)
    if (pLater->wantToLock)
      lockBtreeMutex(pLater);
}

void twice(Btree *p) {
  lockBtreeMutex(p);
  lockBtreeMutex(p);
}

// CHECK: double-lock-loop-some-paths.c:[[#@LINE-3]]:3: warning: double lock of 'BtShared::mutex': 'lockBtreeMutex' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
