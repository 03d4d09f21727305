// Sample 02, fixed: AB-BA deadlock between two threads.
//
// The bug (abba.cpp): lookup() took cache_mu then db_mu, invalidate() took
// db_mu then cache_mu; two threads could each hold one and wait for the other.
//
// Why the fix works: both functions now take the locks in one global order,
// cache_mu before db_mu. A cycle in the wait-for relation needs some thread to
// take them the other way round, and none does, so no deadlock is possible;
// the lock graph has the one edge cache_mu -> db_mu and no cycle.
#include <cstdio>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>

// Lock order: cache_mu before db_mu.
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
  std::lock_guard<std::mutex> CacheLock(cache_mu); // FIX: cache_mu first,
  std::lock_guard<std::mutex> DbLock(db_mu);       // then db_mu, as lookup()
  db[Key] = Value;
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
    LookupDone.wait(); // same schedule as abba.cpp, only the order differs
    invalidate("alice", 42);
  });
  Reader.join();
  Writer.join();
  std::printf("abba: lookup saw %d, now %d\n", Seen, lookup("alice"));
  return 0;
}
