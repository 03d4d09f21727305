// Sample 07, fixed: reader-writer lock, and a writer-upgrade deadlock.
//
// The bug (rwlock_upgrade.cpp): getOrInsert() asked for the exclusive lock
// while still holding the shared one, and waited for itself to leave.
//
// Why the fix works: getOrInsert() releases the shared lock first, then takes
// the exclusive lock, and looks the key up again, because another writer may
// have inserted it in between (try_emplace keeps that writer's value). A
// thread never holds the lock in one mode while waiting for it in the other,
// so it never waits for itself. Readers still share the lock as before.
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
    {
      std::shared_lock<std::shared_mutex> Reading(mu);
      auto It = rows.find(Key);
      if (It != rows.end())
        return It->second;
    } // FIX: the shared lock is released here...
    std::unique_lock<std::shared_mutex> Writing(mu); // ...before this,
    return rows.try_emplace(Key, Fresh).first->second; // and check again
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
  int Existing = T->getOrInsert("alice", 7);

  std::thread Writer([T] { // same schedule as rwlock_upgrade.cpp
    inserted = T->getOrInsert("carol", 3);
    insert_done = true;
  });
  auto GiveUp = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (!insert_done && std::chrono::steady_clock::now() < GiveUp)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::printf("rwlock_upgrade: readers saw %d %d %d %d; alice %d; ", Found[0],
              Found[1], Found[2], Found[3], Existing);
  if (!insert_done) {
    std::printf("carol: insert stuck (self-deadlock), giving up\n");
    Writer.detach();
    return 0;
  }
  Writer.join();
  std::printf("carol %d\n", inserted);
  delete T;
  return 0;
}
