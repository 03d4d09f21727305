// A counter touched by only one thread is silent, though it is written
// without the lock held at most of its accesses: no other thread can race.
// main's accesses before the thread starts and after it is joined do not
// count. Started twice, the same code races, and is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/one "" %s
// RUN: %lockgraph check -p %t/one 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/two "-DTWO_THREADS" %s
// RUN: not %lockgraph check -p %t/two 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <thread>

std::mutex g_mu;
int g_count = 0;

void worker() {
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard<std::mutex> l(g_mu);
      ++g_count;
    }
    {
      std::lock_guard<std::mutex> l(g_mu);
      g_count += 2;
    }
    ++g_count;
    // CHECK: race-single-thread.cpp:[[@LINE-1]]:7: warning: write to 'g_count' without holding 'g_mu', which guards it at 2 of 3 accesses [lockgraph-race]
  }
}

int main() {
  g_count = 0; // before the thread starts
  std::thread t(worker);
#ifdef TWO_THREADS
  std::thread u(worker);
  u.join();
#endif
  t.join();
  return g_count; // after it is joined
}
