// A std::mutex has no destroy call: when it is deleted and a new one is
// allocated at the same address, free() tells the two locks apart, so
// a -> old and new -> a is not a cycle (without the free() hook the two
// would be one lock, and this would be reported as a cycle).
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex g_a;

int main() {
  auto *Old = new std::mutex;
  {
    std::lock_guard<std::mutex> A(g_a);
    std::lock_guard<std::mutex> O(*Old);
  }
  void *OldAddr = Old;
  delete Old;
  auto *New = new std::mutex;
  fprintf(stderr, "same address: %s\n", (void *)New == OldAddr ? "yes" : "no");
  std::thread T([New] {
    std::lock_guard<std::mutex> N(*New);
    std::lock_guard<std::mutex> A(g_a);
  });
  T.join();
  return 0;
}

// CHECK: same address: yes
// CHECK-NOT: WARNING: lockgraph
