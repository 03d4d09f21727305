// Sample 02: AB-BA deadlock between two threads.
//
// What goes wrong: lookup() takes cache_mu, then db_mu (a cache miss reads the
// database); invalidate() takes db_mu, then cache_mu (a database write drops
// the cached copy). If one thread is inside lookup() holding cache_mu while
// another is inside invalidate() holding db_mu, each waits for the lock the
// other holds, forever.
//
// This run never hangs: the invalidating thread waits (on a latch, which is
// not a lock) until the lookup has finished. Both orders still happen, in two
// different threads, and that is all lockgraph needs: the lock graph has the
// edges cache_mu -> db_mu and db_mu -> cache_mu, a cycle, so it reports a
// potential deadlock from a run that did not deadlock.
//
// Fixed twin: abba_fixed.cpp takes the locks in one global order.
// Check: lockgraph-lock-order (static and run time).
#include <cstdio>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>

std::mutex cache_mu; // guards cache
std::mutex db_mu;    // guards db
std::map<std::string, int> cache;
std::map<std::string, int> db = {{"alice", 1}, {"bob", 2}};

// Returns the value for Key, filling the cache from the database on a miss.
int lookup(const std::string &Key) {
  std::lock_guard<std::mutex> CacheLock(cache_mu);
  auto It = cache.find(Key);
  if (It != cache.end())
    return It->second;
  std::lock_guard<std::mutex> DbLock(db_mu); // order: cache_mu -> db_mu
  int Value = db[Key];
  cache[Key] = Value;
  return Value;
}

// Stores Value for Key and drops the stale cached copy.
void invalidate(const std::string &Key, int Value) {
  std::lock_guard<std::mutex> DbLock(db_mu);
  db[Key] = Value;
  std::lock_guard<std::mutex> CacheLock(cache_mu); // BUG: db_mu -> cache_mu
  cache.erase(Key);
}

int main() {
  std::latch LookupDone(1);
  int Seen = 0;
  std::thread Reader([&] {
    Seen = lookup("alice");
    LookupDone.count_down();
  });
  std::thread Writer([&] {
    LookupDone.wait(); // sequenced: the sample must never really deadlock
    invalidate("alice", 42);
  });
  Reader.join();
  Writer.join();
  std::printf("abba: lookup saw %d, now %d\n", Seen, lookup("alice"));
  return 0;
}
