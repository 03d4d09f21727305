// The gate lock g_gate is held when the first thread takes g_a -> g_b the
// first time, but not the second time (from another call site, so the
// same edge comes with another held set): the cycle is not gated and is
// reported. The runtime keeps one record per edge and thread, with the
// locks held at every observation, so this also checks that the second
// observation shrinks what the first one recorded.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <mutex>
#include <thread>

std::mutex g_gate, g_a, g_b;

void inner_ab() {
  std::lock_guard<std::mutex> A(g_a);
  std::lock_guard<std::mutex> B(g_b);
}

void first() {
  {
    std::lock_guard<std::mutex> G(g_gate);
    inner_ab();
  }
  inner_ab(); // the same edge, without the gate
}

void second() {
  std::lock_guard<std::mutex> G(g_gate);
  std::lock_guard<std::mutex> B(g_b);
  std::lock_guard<std::mutex> A(g_a);
}

int main() {
  std::thread T1(first);
  T1.join();
  std::thread T2(second);
  T2.join();
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: g_a {{.*}} => g_b {{.*}} => g_a
