// unique_lock: an early unlock() ends the critical section; defer_lock does
// not lock; try_to_lock holds only where the test succeeded; a moved lock
// keeps holding.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>
#include <utility>

std::mutex m1, m2;

void forward() {
  std::lock_guard<std::mutex> g1(m1);
  std::lock_guard<std::mutex> g2(m2);
  // CHECK: unique-lock.cpp:[[@LINE-1]]:31: warning: potential deadlock: lock order cycle m1 -> m2 -> m1 [lockgraph-lock-order]
  // CHECK: unique-lock.cpp:[[@LINE+23]]:32: note: 'm2' acquired here
  // CHECK-NEXT: unique-lock.cpp:[[@LINE+27]]:31: note: 'm1' acquired here while holding 'm2'
}

void earlyUnlock() {
  std::unique_lock<std::mutex> l2(m2);
  l2.unlock();
  std::lock_guard<std::mutex> g1(m1);
}

void deferred() {
  std::unique_lock<std::mutex> l2(m2, std::defer_lock);
  std::lock_guard<std::mutex> g1(m1);
}

void tryLock() {
  std::unique_lock<std::mutex> l2(m2, std::try_to_lock);
  if (l2)
    return;
  std::lock_guard<std::mutex> g1(m1); // only reached when m2 is not held
}

void moved() {
  std::unique_lock<std::mutex> l2(m2);
  std::unique_lock<std::mutex> other(std::move(l2));
#ifdef FIXED
  other.unlock();
#endif
  std::lock_guard<std::mutex> g1(m1);
}
