// lockgraph run merges processes by lock *class*: a heap lock's class is
// the member its first acquisition, past the program's own lock wrappers
// (Mutex::Lock, a MutexLock guard), names -- `MutexLock l(&mu)` in a
// method of Cache is Cache::mu, as `lockgraph check` names it -- and that
// place, because each process numbers its instances ("#2") in its own
// order, and a type alone joins too much (run-lock-classes-unpublished.cpp).
//   - order + reverse: Db then Cache in one process, Cache then Db in the
//     other: a cycle no one process shows, named by the classes.
//   - order + cache-first: the same order in both, but the second process
//     meets Cache's lock first. Instance names would have crossed
//     (Cache::mu in one process is Cache::mu#2 in the other): no cycle.
//   - two-objects + order: one process takes Db -> Cache on one pair of
//     objects and Cache -> Db on another. Between instances that is no
//     cycle, and the process's own graph is the authority on it, even when
//     another process adds edges between the same classes.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: not %lockgraph run -- sh -c '%t order; %t reverse' > %t.cycle 2>&1
// RUN: FileCheck %s --check-prefix=CYCLE < %t.cycle
// RUN: %lockgraph run -- sh -c '%t order; %t cache-first' 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %lockgraph run -- sh -c '%t two-objects; %t order' 2>&1 | FileCheck %s --check-prefix=CLEAN
// CYCLE: warning: potential deadlock: lock order cycle Cache::mu (run-lock-classes.cpp:{{[0-9]+}}) -> Db::mu (run-lock-classes.cpp:{{[0-9]+}}) -> Cache::mu (run-lock-classes.cpp:{{[0-9]+}}) [lockgraph-lock-order]
// CLEAN: lockgraph: {{[0-9]+}} processes recorded, 2 locks
// CLEAN-NOT: warning:
#include <cstring>
#include <mutex>

class Mutex {
public:
  __attribute__((noinline)) void Lock() { mu_.lock(); }
  __attribute__((noinline)) void Unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

class MutexLock {
public:
  __attribute__((noinline)) explicit MutexLock(Mutex *mu) : mu_(mu) { mu_->Lock(); }
  __attribute__((noinline)) ~MutexLock() { mu_->Unlock(); }

private:
  Mutex *mu_;
};

struct Db;

struct Cache {
  Mutex mu;
  Db *db = nullptr;
  void lookup() {
    MutexLock l(&mu);
    // CYCLE-DAG: run-lock-classes.cpp:[[#@LINE-1]]:{{[0-9]+}}: note: 'Cache::mu (run-lock-classes.cpp:[[#@LINE-1]])' acquired here
  }
  void evict();
};

struct Db {
  Mutex mu;
  Cache *cache = nullptr;
  void get(bool withCache) {
    MutexLock l(&mu);
    // CYCLE-DAG: run-lock-classes.cpp:[[#@LINE-1]]:{{[0-9]+}}: note: 'Db::mu (run-lock-classes.cpp:[[#@LINE-1]])' acquired here
    if (withCache)
      cache->lookup();
  }
  void notify() { MutexLock l(&mu); }
};

void Cache::evict() {
  MutexLock l(&mu);
  db->notify();
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "order";
  Db *db = new Db;
  Cache *cache = new Cache;
  db->cache = cache;
  cache->db = db;
  if (!strcmp(mode, "order")) {
    db->get(true);
  } else if (!strcmp(mode, "cache-first")) {
    cache->lookup();
    db->get(true);
  } else if (!strcmp(mode, "reverse")) {
    // Both locks first taken where "order" first takes them.
    db->get(false);
    cache->lookup();
    cache->evict();
  } else if (!strcmp(mode, "two-objects")) {
    db->get(true);
    Db *db2 = new Db;
    Cache *cache2 = new Cache;
    db2->cache = cache2;
    cache2->db = db2;
    cache2->lookup();
    db2->get(false);
    cache2->evict(); // cache2 -> db2: the reverse, on the other pair
  }
  return 0;
}
