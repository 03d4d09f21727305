// One thread takes a -> b and later b -> a: no other thread can form the
// other half, so the cycle is not reported.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
#include <mutex>

std::mutex g_a, g_b;

int main() {
  {
    std::lock_guard<std::mutex> A(g_a);
    std::lock_guard<std::mutex> B(g_b);
  }
  {
    std::lock_guard<std::mutex> B(g_b);
    std::lock_guard<std::mutex> A(g_a);
  }
  return 0;
}
