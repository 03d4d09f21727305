// Calls are followed inside the translation unit: the inverted order comes
// through a callee defined in the same file. Fixed twin: B is released
// before the call.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
#include <mutex>

std::mutex A, B;

void first() {
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B);
  // CHECK: lock-order-callee.cpp:[[@LINE-1]]:31: warning: potential deadlock: lock order cycle A -> B -> A [lockgraph-lock-order]
}

void takeA() {
  std::lock_guard<std::mutex> la(A);
}

void second() {
  std::unique_lock<std::mutex> lb(B);
#ifdef FIXED
  lb.unlock();
#endif
  takeA();
  // CHECK: lock-order-callee.cpp:[[@LINE-1]]:3: note: 'takeA' called here
}
