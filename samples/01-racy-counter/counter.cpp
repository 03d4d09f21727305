// Sample 01: racy counter.
//
// What goes wrong: two threads increment the shared `hits` with no lock.
// `++hits` is a load, an add and a store; when the threads interleave, one
// thread's store overwrites the other's and increments are lost. It is a data
// race, so the C++ standard makes the whole program's behaviour undefined; in
// practice the total usually comes out short, by a different amount each run
// (and sometimes right, which is no less a bug).
//
// Fixed twin: counter_fixed.cpp guards `hits` with a mutex.
// Check: lockgraph-race (planned).
#include <cstdio>
#include <thread>

constexpr int kIncrementsPerThread = 20000;

int hits = 0; // BUG: shared by both threads, guarded by nothing

// Records one hit. Kept out of line, as if it lived in another file, so the
// compiler cannot fold the caller's loop into a single addition.
[[gnu::noinline]] void recordHit() {
  ++hits; // races with the other thread's ++hits
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
