// A lambda passed for a std::function parameter runs where the callee calls
// it, with the callee's locks, not where it is created: bump()'s increment
// runs inside with_lock, holding mu, as reset() and peek() do. When
// with_lock does not lock (UNLOCKED), the increment races.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: not %lockgraph check -p %t/unlocked 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <functional>
#include <mutex>
#include <thread>

std::mutex mu;
long counter;

void with_lock(const std::function<void()> &fn) {
#ifndef UNLOCKED
  std::lock_guard<std::mutex> lock(mu);
#endif
  fn();
}

void bump() { with_lock([] { ++counter; }); }
// CHECK: race-callback-under-lock.cpp:[[@LINE-1]]:15: warning: call to 'with_lock' writes 'counter' without holding 'mu', which guards it at 2 of 3 accesses [lockgraph-race]
// CHECK-NEXT: race-callback-under-lock.cpp:[[@LINE-2]]:32: note: write to 'counter' here
// CHECK-NEXT: race-callback-under-lock.cpp:20:3: note: 'bump::lambda' called here

void reset() {
  std::lock_guard<std::mutex> lock(mu);
  counter = 0;
}

long peek() {
  std::lock_guard<std::mutex> lock(mu);
  return counter;
}

int main() {
  std::thread a(bump), b(reset), c(peek);
  a.join();
  b.join();
  c.join();
}
