// Sample 03, fixed: dining philosophers (5 philosophers, 5 forks).
//
// The bug (philosophers.cpp): each philosopher took the left fork, then the
// right one, so the lock graph had the cycle fork 0 -> 1 -> 2 -> 3 -> 4 -> 0.
//
// Why the fix works: every philosopher picks up the lower-numbered of its two
// forks first. Forks are then always taken in increasing order, so the graph
// has only edges from lower to higher numbers and cannot have a cycle: the
// last philosopher takes fork 0, then fork 4, instead of 4, then 0.
// (std::scoped_lock(Left, Right) is the other standard fix: it takes both
// without holding one while blocking on the other.)
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kPhilosophers = 5;
constexpr int kMeals = 2;

std::mutex forks[kPhilosophers]; // lock order: lower index first
int meals_eaten[kPhilosophers];  // each entry written by one philosopher only

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
  int LeftFork = Id;
  int RightFork = (Id + 1) % kPhilosophers;
  std::mutex &First = forks[std::min(LeftFork, RightFork)];  // FIX: lower
  std::mutex &Second = forks[std::max(LeftFork, RightFork)]; // index first
  for (int Meal = 0; Meal < kMeals; ++Meal) {
    waitForTurn(Meal * kPhilosophers + Id); // same schedule as the bug
    {
      std::lock_guard<std::mutex> HoldFirst(First);
      std::lock_guard<std::mutex> HoldSecond(Second);
      ++meals_eaten[Id];
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
