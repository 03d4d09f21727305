// Sample 07: reader-writer lock, and a writer-upgrade deadlock.
//
// What goes right: lookups take the table's shared_mutex in shared mode, so
// any number of readers run at once; inserts take it exclusively.
//
// What goes wrong: getOrInsert() holds the lock shared, finds the key
// missing, and "upgrades" by asking for the exclusive lock while still
// holding the shared one. An exclusive lock waits until every reader has
// left, including this thread, which never will: the thread deadlocks with
// itself (and two threads upgrading at once deadlock with each other).
// std::shared_mutex has no upgrade operation for exactly this reason.
//
// This run never hangs the program: the insert runs in a worker thread, and
// main gives up on it after 200 ms, reports it stuck, and exits. The stuck
// thread still holds the table's lock, so the table cannot be destroyed and
// is leaked on purpose. lockgraph reports the self-deadlock when the
// exclusive lock is requested, before the thread blocks.
//
// Fixed twin: rwlock_upgrade_fixed.cpp drops the shared lock, takes the
// exclusive one, and checks again.
// Check: lockgraph-double-lock (run time; statically too, both acquisitions
// are in one function).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

struct Table {
  std::shared_mutex mu;
  std::map<std::string, int> rows; // guarded by mu

  // Reader: shared lock, many at once. Returns -1 when Key is missing.
  int find(const std::string &Key) {
    std::shared_lock<std::shared_mutex> Reading(mu);
    auto It = rows.find(Key);
    return It == rows.end() ? -1 : It->second;
  }

  // Returns the value for Key, inserting Fresh if it is missing.
  int getOrInsert(const std::string &Key, int Fresh) {
    std::shared_lock<std::shared_mutex> Reading(mu);
    auto It = rows.find(Key);
    if (It != rows.end())
      return It->second;
    std::unique_lock<std::shared_mutex> Writing(mu); // BUG: waits for all
    return rows[Key] = Fresh;                        // readers, itself too
  }
};

std::atomic<bool> insert_done{false};
int inserted = -1;

int main() {
  Table *T = new Table{{}, {{"alice", 1}, {"bob", 2}}};
  std::vector<std::thread> Readers;
  int Found[4] = {};
  for (int I = 0; I < 4; ++I)
    Readers.emplace_back([T, &Found, I] { Found[I] = T->find(I % 2 ? "bob" : "alice"); });
  for (std::thread &R : Readers)
    R.join();
  int Existing = T->getOrInsert("alice", 7); // present: the shared lock suffices

  std::thread Writer([T] {
    inserted = T->getOrInsert("carol", 3); // missing: the upgrade deadlocks
    insert_done = true;
  });
  auto GiveUp = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (!insert_done && std::chrono::steady_clock::now() < GiveUp)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::printf("rwlock_upgrade: readers saw %d %d %d %d; alice %d; ", Found[0],
              Found[1], Found[2], Found[3], Existing);
  if (!insert_done) {
    std::printf("carol: insert stuck (self-deadlock), giving up\n");
    Writer.detach(); // it never returns; T stays allocated: its lock is held
    return 0;
  }
  Writer.join();
  std::printf("carol %d\n", inserted);
  delete T;
  return 0;
}
