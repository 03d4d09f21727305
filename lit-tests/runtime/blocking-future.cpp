// A std::future waited for while holding a lock: libstdc++ waits in a futex
// of the future's shared state, with no pthread call, through its own
// out-of-line wait, which the runtime interposes as a blocking call
// ('std::future::wait': get, wait, wait_for and wait_until). When the thread
// that would make the result needs that lock, the program hangs, and the
// watchdog reports the stall while it lasts (abort_on_deadlock=1 aborts;
// alarm() bounds the test if it did not). Twin: the same wait made after
// the lock is released is no finding.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t get 2>&1 | FileCheck %s --check-prefix=GET
// RUN: env LD_PRELOAD=%preload %t wait_for 2>&1 | FileCheck %s --check-prefix=WAIT-FOR
// RUN: env LD_PRELOAD=%preload %t released 2>&1 | FileCheck %s --check-prefix=RELEASED --allow-empty
// RUN: %env_lg_opts=stall_seconds=1:watchdog_interval_ms=100:abort_on_deadlock=1 LD_PRELOAD=%preload not --crash %t hang > %t.hang 2>&1
// RUN: FileCheck %s --check-prefix=HANG < %t.hang
// RUN: FileCheck %s --check-prefix=HOLDER < %t.hang
// GET: WARNING: lockgraph: blocking call 'std::future::wait' while holding a lock
// GET-NEXT: Thread T0 called std::future::wait (took {{.*}}) while holding 'g_registry_mu', at:
// WAIT-FOR: WARNING: lockgraph: blocking call 'std::future::wait' while holding a lock
// HANG: WARNING: lockgraph: stall (a thread blocked behind a lock held across a blocking call)
// HANG-NEXT: Thread T1 (tid={{[0-9]+}}) has been blocked for {{.*}} acquiring 'g_registry_mu' ({{.*}}) held by thread T0, at:
// HOLDER: Thread T0 (tid={{[0-9]+}}) has been in std::future::wait for
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex g_registry_mu;

// Makes the result once the waiter is surely waiting; in "hang" it first
// needs the registry, which the waiter holds.
static void produce(std::promise<int> &result, bool needs_registry) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (needs_registry) {
    std::lock_guard<std::mutex> lock(g_registry_mu); // HANG: #{{[0-9]+}} produce{{.*}}blocking-future.cpp:[[@LINE]]
  }
  result.set_value(42);
}

int main(int argc, char **argv) {
  alarm(60);
  const char *mode = argc > 1 ? argv[1] : "get";
  std::promise<int> result;
  std::future<int> value = result.get_future();
  std::thread producer(produce, std::ref(result), strcmp(mode, "hang") == 0);
  int got = 0;
  if (strcmp(mode, "released") == 0) {
    { std::lock_guard<std::mutex> lock(g_registry_mu); }
    got = value.get();
  } else if (strcmp(mode, "wait_for") == 0) {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    value.wait_for(std::chrono::seconds(30)); // WAIT-FOR: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-future.cpp:[[@LINE]]
    got = value.get();
  } else {
    std::lock_guard<std::mutex> lock(g_registry_mu); // HOLDER: #{{[0-9]+}} main {{.*}}blocking-future.cpp:[[@LINE]]
    got = value.get(); // GET: SUMMARY: lockgraph: blocking-under-lock {{.*}}blocking-future.cpp:[[@LINE]]
    // HANG: SUMMARY: lockgraph: stall {{.*}}blocking-future.cpp:[[@LINE-1]]
  }
  producer.join();
  printf("result %d\n", got);
  return 0;
}

// GET: result 42
// RELEASED-NOT: lockgraph
// RELEASED: result 42
// RELEASED-NOT: lockgraph
// HANG: lockgraph: aborting (abort_on_deadlock=1)
