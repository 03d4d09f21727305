// Sample 03: dining philosophers (5 philosophers, 5 forks).
//
// What goes wrong: every philosopher picks up the fork on the left, then the
// fork on the right. If all five pick up their left fork at the same moment,
// each waits for a right fork that its neighbour holds: a 5-thread, 5-lock
// deadlock. The lock graph has fork 0 -> 1 -> 2 -> 3 -> 4 -> 0, a cycle.
//
// This run never hangs: the philosophers take turns (an atomic turn counter,
// which is not a lock), so no two ever reach for forks at the same time. Each
// philosopher still takes "left, then right" in its own thread, so the cycle
// is in the graph and lockgraph reports it from a run that did not deadlock.
//
// Fixed twin: philosophers_fixed.cpp picks up the lower-numbered fork first.
// Check: lockgraph-lock-order (run time; statically the five forks are one
// array, so they look like one lock).
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kPhilosophers = 5;
constexpr int kMeals = 2;

std::mutex forks[kPhilosophers];
int meals_eaten[kPhilosophers]; // each entry written by one philosopher only

std::atomic<int> turn{0};

void waitForTurn(int Turn) {
  for (int T = turn.load(); T != Turn; T = turn.load())
    turn.wait(T);
}

void passTurn() {
  turn.fetch_add(1);
  turn.notify_all();
}

void dine(int Id) {
  std::mutex &Left = forks[Id];
  std::mutex &Right = forks[(Id + 1) % kPhilosophers];
  for (int Meal = 0; Meal < kMeals; ++Meal) {
    waitForTurn(Meal * kPhilosophers + Id); // sequenced: never deadlocks here
    {
      std::lock_guard<std::mutex> HoldLeft(Left);
      std::lock_guard<std::mutex> HoldRight(Right); // BUG: philosopher 4 takes
      ++meals_eaten[Id];                            // fork 4, then fork 0
    }
    passTurn();
  }
}

int main() {
  std::vector<std::thread> Table;
  for (int Id = 0; Id < kPhilosophers; ++Id)
    Table.emplace_back(dine, Id);
  for (std::thread &T : Table)
    T.join();
  int Total = 0;
  for (int N : meals_eaten)
    Total += N;
  std::printf("philosophers: %d meals eaten\n", Total);
  return 0;
}
