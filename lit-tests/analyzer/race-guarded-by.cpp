// A variable declared GUARDED_BY(mu) and written without mu, even once and
// even where no other access would let the guard be inferred, is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>
#include <thread>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))

class Stats {
public:
  void add(int v) {
    std::lock_guard<std::mutex> l(mu_);
    total_ += v;
  }
  void clear() {
#ifdef FIXED
    std::lock_guard<std::mutex> l(mu_);
#endif
    total_ = 0;
#ifndef FIXED
    // CHECK: race-guarded-by.cpp:[[@LINE-2]]:5: warning: write to 'Stats::total_' without holding 'Stats::mu_', which guards it (GUARDED_BY) [lockgraph-race]
    // CHECK-NEXT: race-guarded-by.cpp:16:5: note: 'Stats::total_' written here holding 'Stats::mu_'
#endif
  }

private:
  std::mutex mu_;
  int total_ GUARDED_BY(mu_) = 0;
};

// A global written once, by two threads, never under its declared lock.
std::mutex g_mu;
long g_hits GUARDED_BY(g_mu) = 0;

void hit() {
#ifdef FIXED
  std::lock_guard<std::mutex> l(g_mu);
#endif
  ++g_hits;
#ifndef FIXED
  // CHECK: race-guarded-by.cpp:[[@LINE-2]]:5: warning: write to 'g_hits' without holding 'g_mu', which guards it (GUARDED_BY) [lockgraph-race]
#endif
}

int main() {
  std::thread a(hit), b(hit);
  a.join();
  b.join();
  return int(g_hits);
}
