// Two readers take two shared_mutexes in opposite orders: readers do not
// exclude each other, so there is no deadlock and no report. The twin with a
// writer on one side is reported.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: env LD_PRELOAD=%preload %t write 2>&1 | FileCheck %s --check-prefix=WRITE
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <thread>

std::shared_mutex g_r1, g_r2;
bool g_write;

int main(int argc, char **argv) {
  g_write = argc > 1 && strcmp(argv[1], "write") == 0;
  std::thread T1([] {
    std::shared_lock<std::shared_mutex> A(g_r1);
    std::shared_lock<std::shared_mutex> B(g_r2);
  });
  T1.join();
  std::thread T2([] {
    if (g_write) {
      std::unique_lock<std::shared_mutex> B(g_r2);
      std::unique_lock<std::shared_mutex> A(g_r1);
    } else {
      std::shared_lock<std::shared_mutex> B(g_r2);
      std::shared_lock<std::shared_mutex> A(g_r1);
    }
  });
  T2.join();
  return 0;
}

// WRITE: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// WRITE-NEXT: Cycle in lock order graph: g_r1 ({{.*}}) => g_r2 ({{.*}}) => g_r1
