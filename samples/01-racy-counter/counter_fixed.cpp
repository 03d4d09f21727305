// Sample 01, fixed: racy counter.
//
// The bug (counter.cpp): two threads did `++hits` with no lock, so
// increments were lost.
//
// Why the fix works: every access to `hits` happens while holding `hits_mu`,
// so the read-modify-write of one thread cannot interleave with the other's,
// and the unlock/lock pair orders the accesses (happens-before). Reading
// `hits` in main after join() needs no lock: join() orders it after both
// threads. (A std::atomic<int> would fix it too, for a single counter.)
#include <cstdio>
#include <mutex>
#include <thread>

constexpr int kIncrementsPerThread = 20000;

std::mutex hits_mu;
int hits = 0; // guarded by hits_mu

// Records one hit. Kept out of line, as if it lived in another file.
[[gnu::noinline]] void recordHit() {
  std::lock_guard<std::mutex> Lock(hits_mu);
  ++hits;
}

void countHits() {
  for (int I = 0; I < kIncrementsPerThread; ++I)
    recordHit();
}

int main() {
  std::thread A(countHits);
  std::thread B(countHits);
  A.join();
  B.join();
  std::printf("counter: hits = %d (expected %d)\n", hits,
              2 * kIncrementsPerThread);
  return 0;
}
