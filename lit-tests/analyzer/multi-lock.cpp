// std::scoped_lock(a, b) and std::lock(a, b) acquire together: no order edge
// between their own arguments, so taking them in either order is silent.
// Taking them one by one in opposite orders is a cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

std::mutex a, b;

void scoped() { std::scoped_lock both(a, b); }
void scopedReversed() { std::scoped_lock both(b, a); }
void stdLock() {
  std::lock(b, a);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
}
void deferred() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(la, lb);
}

#ifndef FIXED
void oneByOne() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void oneByOneReversed() {
  std::lock_guard<std::mutex> gb(b);
  std::lock_guard<std::mutex> ga(a);
}
// CHECK: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
#endif
