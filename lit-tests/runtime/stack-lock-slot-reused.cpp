// Two tests of one test binary, each with local std::mutex objects that its
// threads take: the second test's locals take the first one's stack slots.
// A std::mutex has no destroy call, so only the frame tells the two apart:
// at a thread start or join, a lock in the live part of the starting
// thread's stack that is now in another function's frame than at the last
// one is a new lock. Orders taken on the two tests' locks are no cycle.
// The twin, one test taking both orders on its own locals in two threads
// it runs one after the other, is still a potential deadlock.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: %lockgraph run -- %t two-tests 2>&1 | FileCheck %s --check-prefix=TWO --implicit-check-not=warning:
// RUN: not %lockgraph run -- %t one-test 2>&1 | FileCheck %s --check-prefix=ONE
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

static void *first_slot;

__attribute__((noinline)) void test_first_then_second() {
  std::mutex first, second;
  first_slot = &first;
  std::thread([&] {
    std::lock_guard<std::mutex> a(first);
    std::lock_guard<std::mutex> b(second);
  }).join();
}

__attribute__((noinline)) void test_second_then_first() {
  std::mutex first, second;
  std::puts(&first == first_slot ? "second test's lock in the first's slot"
                                 : "second test's lock elsewhere");
  std::thread([&] {
    std::lock_guard<std::mutex> b(second);
    std::lock_guard<std::mutex> a(first);
  }).join();
}

__attribute__((noinline)) void test_both_orders() {
  std::mutex first, second;
  std::thread([&] {
    std::lock_guard<std::mutex> a(first);
    std::lock_guard<std::mutex> b(second);
  }).join();
  std::thread([&] {
    std::lock_guard<std::mutex> b(second);
    std::lock_guard<std::mutex> a(first);
  }).join();
}

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "two-tests") == 0) {
    test_first_then_second();
    test_second_then_first();
  } else {
    test_both_orders();
  }
  return 0;
}
// TWO: second test's lock in the first's slot
// TWO: lockgraph: 1 process recorded, 4 locks in the graph

// ONE: warning: potential deadlock: lock order cycle
// ONE: note: {{.*}} acquired here while holding {{.*}} in thread 'T1'
// ONE: note: {{.*}} acquired here while holding {{.*}} in thread 'T2'
