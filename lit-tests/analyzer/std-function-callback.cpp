// A callback taken as a std::function parameter runs where the callee calls
// it, with the callee's locks: for_each runs the lambda tick() passes while
// holding registry_mu, and the lambda takes stats_mu, which report() takes
// the other way round. print_logged() hands its lambda to for_each through
// report_all's own std::function parameter: it runs under registry_mu too,
// and takes log_mu, which flush() takes before registry_mu. Called without
// registry_mu (UNLOCKED), there is no cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: %lockgraph check -p %t/unlocked 2>&1 | count 0
#include <functional>
#include <mutex>

std::mutex registry_mu, stats_mu, log_mu;
int entries, hits;

void for_each(const std::function<void(int)> &fn) {
#ifndef UNLOCKED
  std::lock_guard<std::mutex> lock(registry_mu);
#endif
  fn(entries);
}

void tick() {
  for_each([](int n) {
    std::lock_guard<std::mutex> lock(stats_mu);
    hits += n;
  });
}

void report_all(std::function<void(int)> out) { for_each(out); }

void print_logged() {
  report_all([](int) { std::lock_guard<std::mutex> lock(log_mu); });
}

void flush() {
  std::lock_guard<std::mutex> log(log_mu);
  std::lock_guard<std::mutex> registry(registry_mu);
}

void report() {
  std::lock_guard<std::mutex> stats(stats_mu);
  std::lock_guard<std::mutex> registry(registry_mu);
  ++entries;
}
// CHECK: std-function-callback.cpp:27:33: warning: potential deadlock: lock order cycle registry_mu -> stats_mu -> registry_mu [lockgraph-lock-order]
// CHECK-NEXT: std-function-callback.cpp:20:31: note: 'registry_mu' acquired here
// CHECK-NEXT: std-function-callback.cpp:27:33: note: 'stats_mu' acquired here while holding 'registry_mu'
// CHECK-NEXT: std-function-callback.cpp:22:3: note: 'tick::lambda' called here
// CHECK-NEXT: std-function-callback.cpp:44:31: note: 'stats_mu' acquired here
// CHECK-NEXT: std-function-callback.cpp:45:31: note: 'registry_mu' acquired here while holding 'stats_mu'
// CHECK: std-function-callback.cpp:40:31: warning: potential deadlock: lock order cycle log_mu -> registry_mu -> log_mu [lockgraph-lock-order]
// CHECK: std-function-callback.cpp:20:31: note: 'registry_mu' acquired here
// CHECK-NEXT: std-function-callback.cpp:35:52: note: 'log_mu' acquired here while holding 'registry_mu'
// CHECK-NEXT: std-function-callback.cpp:22:3: note: 'print_logged::lambda' called here
