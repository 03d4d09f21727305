// 10,000 short-lived threads that each lock two mutexes in order: thread
// states are recycled, nothing is reported, and the program's output is the
// same as without the preload.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: %t > %t.native
// RUN: env LD_PRELOAD=%preload %t > %t.preload 2>%t.err
// RUN: diff %t.native %t.preload
// RUN: count 0 < %t.err
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

std::mutex g_a, g_b;
long g_count;

int main() {
  for (int Batch = 0; Batch < 100; ++Batch) {
    std::vector<std::thread> Ts;
    for (int I = 0; I < 100; ++I)
      Ts.emplace_back([] {
        std::lock_guard<std::mutex> A(g_a);
        std::lock_guard<std::mutex> B(g_b);
        ++g_count;
      });
    for (auto &T : Ts)
      T.join();
  }
  printf("count=%ld\n", g_count);
  return 0;
}
