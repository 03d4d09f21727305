// One thread takes a -> b and later b -> a: no other thread can form the
// other half, so the cycle is not reported. Nor when the program runs twice
// under `lockgraph run`: the two processes' main threads are two threads,
// but each process saw the whole cycle in one thread.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: %lockgraph run --show-suppressed -- sh -c '%t; %t' 2>&1 | FileCheck %s --check-prefix=TWICE
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

// TWICE: warning: potential deadlock: lock order cycle g_a -> g_b -> g_a [lockgraph-lock-order]
// TWICE-NEXT: note: not reported: single thread: every edge of the cycle was seen only in thread 'T0'
// TWICE-NOT: warning:
// TWICE: 0 findings (1 more ruled out
