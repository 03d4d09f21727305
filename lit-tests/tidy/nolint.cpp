// clang-tidy's own suppression comments apply to the plugin's checks: NOLINT,
// NOLINT(check), NOLINTNEXTLINE(glob) and NOLINTBEGIN/NOLINTEND. A NOLINT for
// another check does not suppress.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
#include <mutex>
#include <unistd.h>

std::mutex g_mu, A, B;

void a() {
  std::lock_guard<std::mutex> l(g_mu);
  sleep(1); // NOLINT
}
void b() {
  std::lock_guard<std::mutex> l(g_mu);
  sleep(1); // NOLINT(lockgraph-blocking-under-lock)
}
void c() {
  std::lock_guard<std::mutex> l(g_mu);
  // NOLINTNEXTLINE(lockgraph-*)
  sleep(1);
}
// NOLINTBEGIN(lockgraph-blocking-under-lock)
void d() {
  std::lock_guard<std::mutex> l(g_mu);
  sleep(1);
}
// NOLINTEND(lockgraph-blocking-under-lock)
void e() {
  std::lock_guard<std::mutex> l(g_mu);
  sleep(1); // NOLINT(lockgraph-double-lock)
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: blocking call to 'sleep' while holding 'g_mu' [lockgraph-blocking-under-lock]
}

// A cycle is reported at its first edge; NOLINT there silences it.
void first() {
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B); // NOLINT(lockgraph-lock-order)
}
void second() {
  std::lock_guard<std::mutex> lb(B);
  std::lock_guard<std::mutex> la(A);
}
