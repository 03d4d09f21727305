// std::condition_variable::wait reaches pthread_cond_wait@@GLIBC_2.3.2 and
// wait_for reaches pthread_cond_clockwait: both are modelled as release +
// reacquire, so the waiter's mutex is held again after the wait (g_mu ->
// g_b after the wait and g_b -> g_mu elsewhere are a cycle) and nothing is
// reported as unheld. std::recursive_mutex and std::timed_mutex are seen too.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex g_mu, g_b;
std::recursive_mutex g_rec;
std::timed_mutex g_timed;
std::condition_variable g_cv;
bool g_ready;

int main() {
  std::thread Waiter([] {
    std::unique_lock<std::mutex> L(g_mu);
    g_cv.wait(L, [] { return g_ready; });
    g_cv.wait_for(L, std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> B(g_b);
  });
  {
    std::lock_guard<std::mutex> L(g_mu);
    g_ready = true;
  }
  g_cv.notify_all();
  Waiter.join();
  std::thread Reverse([] {
    std::lock_guard<std::mutex> B(g_b);
    std::lock_guard<std::mutex> L(g_mu);
  });
  Reverse.join();
  {
    std::lock_guard<std::recursive_mutex> R1(g_rec);
    std::lock_guard<std::recursive_mutex> R2(g_rec);
    std::unique_lock<std::timed_mutex> T(g_timed, std::chrono::milliseconds(5));
  }
  return 0;
}

// CHECK-NOT: unheld
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: g_b ({{.*}}) => g_mu ({{.*}}) => g_b
// CHECK-NOT: WARNING
