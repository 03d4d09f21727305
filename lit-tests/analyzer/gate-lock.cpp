// Core's filters apply to the static graph: an AB-BA whose both halves run
// under one common gate lock cannot deadlock, and is not reported unless the
// filter is disabled.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: %lockgraph check -p %t/db | count 0
// RUN: %lockgraph check -p %t/db --show-suppressed | FileCheck %s --check-prefix=SHOW
// RUN: not %lockgraph check -p %t/db --disable-filter=gate-lock | FileCheck %s
// RUN: not %lockgraph check -p %t/db --disable-filter=bogus 2>&1 | FileCheck %s --check-prefix=BAD
#include <mutex>

std::mutex gate, a, b;

void ab() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> x(a);
  std::lock_guard<std::mutex> y(b);
}
// CHECK: gate-lock.cpp:[[@LINE-2]]:31: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// SHOW: gate-lock.cpp:[[@LINE-3]]:31: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// SHOW: note: not reported: gate lock: 'gate' is held at every edge of the cycle

void ba() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> y(b);
  std::lock_guard<std::mutex> x(a);
}
// BAD: lockgraph: error: unknown filter 'bogus' in --disable-filter
