// A 4-lock cycle between four threads; no thread ever waits.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <mutex>
#include <thread>

std::mutex m1, m2, m3, m4;

template <std::mutex *X, std::mutex *Y> void pair() {
  std::lock_guard<std::mutex> A(*X);
  std::lock_guard<std::mutex> B(*Y);
}

int main() {
  void (*fns[])() = {pair<&m1, &m2>, pair<&m2, &m3>, pair<&m3, &m4>,
                     pair<&m4, &m1>};
  for (auto F : fns) {
    std::thread T(F);
    T.join();
  }
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: m1 ({{.*}}) => m2 ({{.*}}) => m3 ({{.*}}) => m4 ({{.*}}) => m1
// CHECK-COUNT-4: acquired here while holding
// CHECK: SUMMARY: lockgraph: lock-order-inversion
