// A cycle g_a/g_b whose every edge is taken under the same gate lock g_gate:
// it cannot deadlock and is not reported.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
#include <mutex>
#include <thread>

std::mutex g_gate, g_a, g_b;

void first() {
  std::lock_guard<std::mutex> G(g_gate);
  std::lock_guard<std::mutex> A(g_a);
  std::lock_guard<std::mutex> B(g_b);
}

void second() {
  std::lock_guard<std::mutex> G(g_gate);
  std::lock_guard<std::mutex> B(g_b);
  std::lock_guard<std::mutex> A(g_a);
}

int main() {
  std::thread T1(first), T2(second);
  T1.join();
  T2.join();
  return 0;
}
