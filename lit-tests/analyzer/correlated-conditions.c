// A lock released under `if (!C)` and again under `if (C)` is released on
// every path: the analyzer remembers which branch of C each path took, so
// the lock is not "still held" after the second test, and nothing later in
// the loop or function counts as done under it (memcached's crawler holds
// an LRU lock across a callback only when the module asks for it). The
// twin that assigns C between the two tests makes them disagree: then the
// lock stays held on one path, past the loop, where the order lru -> item
// reverses link_thread's. (count_hit is the textbook conditional lock, which
// used to be reported as a missing unlock. retry_once, whose flag escapes
// by address between its tests, is reported in both.)
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/same "" %s
// RUN: not %lockgraph check -p %t/same 2>&1 | FileCheck %s --check-prefix=COMMON --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/changed "-DCHANGED" %s
// RUN: not %lockgraph check -p %t/changed 2>&1 | FileCheck %s --check-prefixes=CHECK,COMMON --implicit-check-not=warning:
#include <pthread.h>
#include <stdbool.h>

struct crawl_module {
  bool needs_lock;
  void (*eval)(int);
};
struct crawl_module *g_module;
pthread_mutex_t lru_locks[8];
pthread_mutex_t item_locks[8];

static void *crawler_thread(void *arg) {
  for (int i = 0; i < 8; ++i) {
    pthread_mutex_lock(&lru_locks[i]);
    if (!g_module->needs_lock)
      pthread_mutex_unlock(&lru_locks[i]);
    g_module->eval(i);
#ifdef CHANGED
    g_module->needs_lock = !g_module->needs_lock;
#endif
    if (g_module->needs_lock)
      pthread_mutex_unlock(&lru_locks[i]);
  }
  // Not under lru_locks[] on any path (unless CHANGED).
  pthread_mutex_lock(&item_locks[0]);
  pthread_mutex_unlock(&item_locks[0]);
  return arg;
}
// CHECK: correlated-conditions.c:[[@LINE-2]]:3: warning: 'lru_locks[]' is still held when 'crawler_thread' returns on this path [lockgraph-missing-unlock]
// CHECK: correlated-conditions.c:[[@LINE+5]]:3: warning: potential deadlock: lock order cycle item_locks[] -> lru_locks[] -> item_locks[] [lockgraph-lock-order]
// CHECK: correlated-conditions.c:[[@LINE-6]]:3: note: 'item_locks[]' acquired here while holding 'lru_locks[]'

static void *link_thread(void *arg) {
  pthread_mutex_lock(&item_locks[0]);
  pthread_mutex_lock(&lru_locks[1]);
  pthread_mutex_unlock(&lru_locks[1]);
  pthread_mutex_unlock(&item_locks[0]);
  return arg;
}

// Conditional locking: both tests of `locked` agree, so no path returns
// holding g_stats_mu.
pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
int g_hits;
void count_hit(int locked) {
  if (locked)
    pthread_mutex_lock(&g_stats_mu);
  ++g_hits;
  if (locked)
    pthread_mutex_unlock(&g_stats_mu);
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, crawler_thread, 0);
  pthread_create(&b, 0, link_thread, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}

// A flag whose address escapes may change in between: the two tests are
// not assumed to agree, and the lock may leak (a true positive).
void refresh(bool *again);
void retry_once(void) {
  bool again = g_module->needs_lock;
  if (again)
    pthread_mutex_lock(&g_stats_mu);
  refresh(&again);
  if (again)
    pthread_mutex_unlock(&g_stats_mu);
}
// COMMON: correlated-conditions.c:[[@LINE-1]]:1: warning: 'g_stats_mu' is still held when 'retry_once' returns on this path [lockgraph-missing-unlock]

// A flag set right after locking, tested on a shared error path (memcached's
// process_marithmetic_command): `locked` says whether the lock is held.
int g_counter;
int add_delta(int hv, int delta) {
  bool locked = false;
  if (delta < 0)
    goto error;
  pthread_mutex_lock(&item_locks[hv & 7]);
  locked = true;
  if (g_counter + delta < 0)
    goto error;
  g_counter += delta;
  pthread_mutex_unlock(&item_locks[hv & 7]);
  return 0;
error:
  if (locked)
    pthread_mutex_unlock(&item_locks[hv & 7]);
  return -1;
}
