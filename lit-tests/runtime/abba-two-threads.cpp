// A lock-order inversion between two threads that never deadlock in this run
// (the threads run one after the other): reported with both stacks per edge.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <mutex>
#include <thread>

std::mutex g_a, g_b;

void first() {
  std::lock_guard<std::mutex> A(g_a);
  std::lock_guard<std::mutex> B(g_b);
}

void second() {
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

// CHECK: ==================
// CHECK-NEXT: WARNING: lockgraph: lock-order-inversion (potential deadlock) (pid={{[0-9]+}})
// CHECK-NEXT: Cycle in lock order graph: g_a (0x{{[0-9a-f]+}}) => g_b (0x{{[0-9a-f]+}}) => g_a
// CHECK: Lock g_b acquired here while holding g_a (thread T1):
// CHECK: #{{[0-9]+}} first() {{.*}}abba-two-threads.cpp:13
// CHECK: Lock g_a previously acquired by the same thread here:
// CHECK: #{{[0-9]+}} first() {{.*}}abba-two-threads.cpp:12
// CHECK: Lock g_a acquired here while holding g_b (thread T2):
// CHECK: #{{[0-9]+}} second() {{.*}}abba-two-threads.cpp:18
// CHECK: Lock g_b previously acquired by the same thread here:
// CHECK: #{{[0-9]+}} second() {{.*}}abba-two-threads.cpp:17
// CHECK: SUMMARY: lockgraph: lock-order-inversion (potential deadlock) {{.*}}abba-two-threads.cpp:13:{{[0-9]+}} in first()
// CHECK-NEXT: ==================
