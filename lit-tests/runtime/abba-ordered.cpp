// The fixed twin of abba-two-threads.cpp: both threads take g_a before g_b.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
#include <mutex>
#include <thread>

std::mutex g_a, g_b;

void worker() {
  std::lock_guard<std::mutex> A(g_a);
  std::lock_guard<std::mutex> B(g_b);
}

int main() {
  std::thread T1(worker);
  T1.join();
  std::thread T2(worker);
  T2.join();
  return 0;
}
