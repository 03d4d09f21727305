// AB-BA across two functions, one of them through a callee.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug %s 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed %s 2>&1 | count 0
#include <mutex>

std::mutex A, B;

void first() {
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B);
  // CHECK: lock-order-two-functions.cpp:[[@LINE-1]]:31: warning: potential deadlock: lock order cycle A -> B -> A [lockgraph-lock-order]
  // CHECK-NEXT: lock-order-two-functions.cpp:[[@LINE-3]]:31: note: 'A' acquired here
  // CHECK-NEXT: lock-order-two-functions.cpp:[[@LINE-3]]:31: note: 'B' acquired here while holding 'A'
}

void takeA() {
  std::lock_guard<std::mutex> la(A);
}

void second() {
  std::unique_lock<std::mutex> lb(B);
  // CHECK-NEXT: lock-order-two-functions.cpp:[[@LINE-1]]:32: note: 'B' acquired here
  // CHECK-NEXT: lock-order-two-functions.cpp:19:31: note: 'A' acquired here while holding 'B'
#ifdef FIXED
  lb.unlock(); // the fix: release B before taking A
#endif
  takeA();
  // CHECK-NEXT: lock-order-two-functions.cpp:[[@LINE-1]]:3: note: 'takeA' called here
}
