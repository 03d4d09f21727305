// The three clang-tidy suppression comment forms suppress findings at their
// location, with or without a check list.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: not %lockgraph check -p %t/db --show-suppressed 2>&1 | FileCheck %s --check-prefix=SHOW
#include <mutex>
#include <unistd.h>

std::mutex g_mu;

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
  sleep(1); // NOLINT(lockgraph-lock-order): another check, not suppressed
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: blocking call to 'sleep' while holding 'g_mu' [lockgraph-blocking-under-lock]
}
void f() {
  std::lock_guard<std::mutex> l(g_mu);
  // NOLINTNEXTLINE(bugprone-*)
  sleep(1);
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: blocking call to 'sleep' while holding 'g_mu' [lockgraph-blocking-under-lock]
}
// SHOW: nolint.cpp:13:3: warning: blocking call to 'sleep' while holding 'g_mu' [lockgraph-blocking-under-lock]
