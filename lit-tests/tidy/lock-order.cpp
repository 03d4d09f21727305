// AB-BA in one translation unit: two functions take two std::mutex globals in
// opposite orders. Fixed twins: the same order in both, or both at once with
// std::scoped_lock. Only lockgraph-lock-order reports it.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED_ORDER 2>&1 | count 0
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED_SCOPED 2>&1 | count 0
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*,-lockgraph-lock-order' %s -- -std=c++17 2>&1 | count 0
#include <mutex>

std::mutex A, B;

void first() {
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B);
  // CHECK: lock-order.cpp:[[@LINE-1]]:31: warning: potential deadlock: lock order cycle A -> B -> A [lockgraph-lock-order]
  // CHECK: lock-order.cpp:[[@LINE-3]]:31: note: 'A' acquired here
  // CHECK: lock-order.cpp:[[@LINE-3]]:31: note: 'B' acquired here while holding 'A'
}

void second() {
#if defined(FIXED_ORDER)
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B);
#elif defined(FIXED_SCOPED)
  std::scoped_lock both(B, A);
#else
  std::lock_guard<std::mutex> lb(B);
  std::lock_guard<std::mutex> la(A);
  // CHECK: lock-order.cpp:[[@LINE-2]]:31: note: 'B' acquired here
  // CHECK: lock-order.cpp:[[@LINE-2]]:31: note: 'A' acquired here while holding 'B'
#endif
}
