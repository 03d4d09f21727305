// std::thread's start routine is inside libstdc++, so its threads are named
// by where they were created: thread:<file>:<line> of the first user frame.
// main holds g_state while joining a thread that took g_state (earlier, so
// this run does not hang): wait-holding-lock. Joining after the unlock is
// silent.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t fixed 2>&1 | count 0
#include <atomic>
#include <mutex>
#include <thread>

std::mutex g_state;
std::atomic<bool> g_past_lock;

int main(int argc, char **) {
  const bool hold = argc == 1;
  std::thread W([] {
    { std::lock_guard<std::mutex> L(g_state); }
    g_past_lock = true;
  });
  while (!g_past_lock)
    std::this_thread::yield();
  std::unique_lock<std::mutex> L(g_state);
  if (hold)
    W.join();
  L.unlock();
  if (!hold)
    W.join();
  return 0;
}

// CHECK: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// CHECK-NEXT: Cycle in lock and wait graph: g_state (0x{{[0-9a-f]+}}) => thread:join-holding-lock-std-thread.cpp:19 => g_state
// CHECK: Lock g_state acquired here by thread:join-holding-lock-std-thread.cpp:19 (thread T1):
// CHECK: join-holding-lock-std-thread.cpp:20
// CHECK: thread:join-holding-lock-std-thread.cpp:19 started here:
// CHECK: SUMMARY: lockgraph: wait-holding-lock {{.*}}join-holding-lock-std-thread.cpp:27:{{[0-9]+}} in main
