// Sample 08, fixed: trylock with back-off, done right.
//
// The bug (livelock.cpp): both threads backed off for the same fixed time
// after a failed try_lock, so they could keep colliding in lock step.
//
// Why the fix works: after each failed round a thread sleeps for a random
// time drawn from a window that doubles with every failure (randomized
// exponential back-off). Two threads that collided almost surely pick
// different delays, so one of them gets both ports while the other sleeps;
// the growing window makes repeated collisions ever less likely. Like the
// bug, this never blocks on one port while holding the other, so it cannot
// deadlock. (When the code allows it, std::scoped_lock(port_a, port_b), or
// one global lock order, is simpler still.)
#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

constexpr int kJobsPerThread = 5;
constexpr int kMaxRounds = 1000; // never reached in practice

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
bool lockBoth(std::mutex &First, std::mutex &Second, int &Rounds,
              std::minstd_rand &Rng) {
  for (int Round = 1; Round <= kMaxRounds; ++Round) {
    ++Rounds;
    First.lock();
    prepare(); // work done holding First widens the collision window
    if (Second.try_lock())
      return true;
    First.unlock();
    // FIX: random delay in [0, 10 us * 2^Round), capped at about 10 ms.
    unsigned Window = 10u << std::min(Round, 10);
    std::this_thread::sleep_for(std::chrono::microseconds(Rng() % Window));
  }
  return false;
}

void worker(std::mutex &First, std::mutex &Second, unsigned Seed, int &Rounds,
            int &GaveUp) {
  std::minstd_rand Rng(Seed); // per-thread generator: no shared state
  for (int Job = 0; Job < kJobsPerThread; ++Job) {
    JobStart.arrive_and_wait();
    if (!lockBoth(First, Second, Rounds, Rng)) {
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
  std::thread A(worker, std::ref(port_a), std::ref(port_b), 1u,
                std::ref(RoundsA), std::ref(GaveUpA));
  std::thread B(worker, std::ref(port_b), std::ref(port_a), 2u,
                std::ref(RoundsB), std::ref(GaveUpB));
  A.join();
  B.join();
  std::printf("livelock: %d jobs took %d rounds, %d gave up\n",
              2 * kJobsPerThread, RoundsA + RoundsB, GaveUpA + GaveUpB);
  return 0;
}
