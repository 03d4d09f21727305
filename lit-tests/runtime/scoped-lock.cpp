// std::scoped_lock takes its mutexes with a deadlock-avoidance algorithm
// (lock + trylock); opposite argument orders are not an inversion.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
#include <mutex>
#include <thread>

std::mutex g_a, g_b;

int main() {
  std::thread T1([] {
    for (int I = 0; I < 1000; ++I)
      std::scoped_lock L(g_a, g_b);
  });
  std::thread T2([] {
    for (int I = 0; I < 1000; ++I)
      std::scoped_lock L(g_b, g_a);
  });
  T1.join();
  T2.join();
  return 0;
}
