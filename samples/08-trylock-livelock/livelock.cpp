// Sample 08: trylock with back-off, livelock variant.
//
// What goes wrong: two threads need both ports and take them in opposite
// orders, but avoid the AB-BA deadlock with try_lock: lock your first port,
// try the second, and on failure release the first, back off, and retry.
// That cannot deadlock, but both threads back off for the same fixed time, so
// once they collide they tend to retry in lock step (each grabs its first
// port, fails on the second, releases, sleeps the same 50 us, and again):
// a livelock, busy and making no progress. How often it happens depends on
// the machine's timing; this run caps the retries and counts the give-ups
// instead of spinning forever.
//
// lockgraph does not report this sample, correctly: an order edge that is
// only ever try-acquired cannot block, so the cycle port_a -> port_b ->
// port_a is filtered as "trylock". Livelock is a progress bug, not a lock
// order bug; the fix is in the back-off policy.
//
// Fixed twin: livelock_fixed.cpp backs off for a random, growing time.
#include <barrier>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

constexpr int kJobsPerThread = 5;
constexpr int kMaxRounds = 50; // a real program would retry forever

std::mutex port_a;
std::mutex port_b;

// Both threads start each job together (a barrier, not a lock), as two
// workers woken by the same event would.
std::barrier JobStart(2);

// Stands for work done with the first port held: a 20 us busy wait (a sleep
// here would be a blocking call under a lock).
void prepare() {
  auto Until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
  while (std::chrono::steady_clock::now() < Until) {
  }
}

// Locks First, then Second, without ever blocking on Second while holding
// First. Returns false after kMaxRounds failed rounds (then holds nothing).
bool lockBoth(std::mutex &First, std::mutex &Second, int &Rounds) {
  for (int Round = 1; Round <= kMaxRounds; ++Round) {
    ++Rounds;
    First.lock();
    prepare(); // work done holding First widens the collision window
    if (Second.try_lock())
      return true;
    First.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(50)); // BUG: the
  }                                     // same fixed back-off in both threads
  return false;
}

void worker(std::mutex &First, std::mutex &Second, int &Rounds, int &GaveUp) {
  for (int Job = 0; Job < kJobsPerThread; ++Job) {
    JobStart.arrive_and_wait();
    if (!lockBoth(First, Second, Rounds)) {
      ++GaveUp;
      continue;
    }
    // ... move data from one port to the other ...
    Second.unlock();
    First.unlock();
  }
}

int main() {
  int RoundsA = 0, RoundsB = 0, GaveUpA = 0, GaveUpB = 0;
  std::thread A(worker, std::ref(port_a), std::ref(port_b), std::ref(RoundsA),
                std::ref(GaveUpA));
  std::thread B(worker, std::ref(port_b), std::ref(port_a), std::ref(RoundsB),
                std::ref(GaveUpB));
  A.join();
  B.join();
  std::printf("livelock: %d jobs took %d rounds, %d gave up\n",
              2 * kJobsPerThread, RoundsA + RoundsB, GaveUpA + GaveUpB);
  return 0;
}
