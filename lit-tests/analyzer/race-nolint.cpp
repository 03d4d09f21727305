// NOLINT(lockgraph-race) and NOLINTNEXTLINE(lockgraph-race) silence a race
// finding on its line; a NOLINT naming another check does not.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>

class Gauge {
public:
  void up() {
    std::lock_guard<std::mutex> l(mu_);
    ++level_;
  }
  void down() {
    std::lock_guard<std::mutex> l(mu_);
    --level_;
  }
  void set(int v) {
    std::lock_guard<std::mutex> l(mu_);
    level_ = v;
  }
  int get() {
    std::lock_guard<std::mutex> l(mu_);
    return level_;
  }
  void reset() { level_ = 0; } // NOLINT(lockgraph-race): only called before sharing
  void zero() {
    // NOLINTNEXTLINE(lockgraph-race)
    level_ = 0;
  }
  void clear() {
    level_ = 0; // NOLINT(lockgraph-lock-order)
    // CHECK: race-nolint.cpp:[[@LINE-1]]:5: warning: write to 'Gauge::level_' without holding 'Gauge::mu_', which guards it at 4 of 7 accesses [lockgraph-race]
  }

private:
  std::mutex mu_;
  int level_ = 0;
};
