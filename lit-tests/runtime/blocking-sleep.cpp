// std::this_thread::sleep_for under a std::mutex reaches nanosleep; sleep()
// has its own hook. blocking_min_us filters short calls.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: %env_lg_opts=blocking_min_us=5000000 LD_PRELOAD=%preload %t 2>&1 | count 0
// RUN: %env_lg_opts=detect_blocking=0 LD_PRELOAD=%preload %t 2>&1 | count 0
#include <chrono>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex g_state_mu;

int main() {
  std::lock_guard<std::mutex> L(g_state_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  sleep(0);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'nanosleep' while holding a lock
// CHECK: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-sleep.cpp:17
// CHECK: WARNING: lockgraph: blocking call 'sleep' while holding a lock
// CHECK: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-sleep.cpp:18
