// A thread waits on a condition variable while holding a lock (not the
// wait's own mutex) that the notifier acquires before it notifies:
// A -> cv -> A in the lock graph. The fixed twin releases the lock before
// waiting and must stay silent; waiting while holding only the condition
// variable's own mutex is silent in both.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: not %lockgraph check -p %t/bug --show-suppressed 2>&1 | FileCheck %s --check-prefix=SUPPRESSED
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <chrono>
#include <condition_variable>
#include <mutex>

std::mutex A, M;
std::condition_variable cv;
bool ready = false;
int work = 0;

void waiter() {
#ifdef FIXED
  {
    std::lock_guard<std::mutex> GA(A);
    ++work;
  }
#else
  std::lock_guard<std::mutex> GA(A);
  ++work;
#endif
  std::unique_lock<std::mutex> L(M);
  while (!ready)
    cv.wait(L);
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-condvar.cpp:[[@LINE-2]]:8: warning: {{.*}}'cv'{{.*}}'A'{{.*}} [lockgraph-wait-holding-lock]
  // CHECK-DAG: wait-holding-lock-condvar.cpp:[[@LINE-3]]:8: warning: blocking call to 'std::condition_variable::wait' while holding 'A' [lockgraph-blocking-under-lock]
#endif
}

// The notifier takes A (and releases it) before it can notify.
void notifier() {
  {
    std::lock_guard<std::mutex> GA(A);
    ++work;
  }
  {
    std::lock_guard<std::mutex> GM(M);
    ready = true;
  }
  cv.notify_one();
}

// Holding only the wait's own mutex: the wait releases it. Silent.
void waitOwnMutex() {
  std::unique_lock<std::mutex> L(M);
  while (!ready)
    cv.wait(L);
}

// Members: the notifier holds admin_mu_ at the notify.
class Pool {
public:
  void drain() {
#ifndef FIXED
    std::lock_guard<std::mutex> Admin(admin_mu_);
#endif
    std::unique_lock<std::mutex> L(mu_);
    while (!idle_)
      cv_.wait(L);
#ifndef FIXED
    // CHECK-DAG: wait-holding-lock-condvar.cpp:[[@LINE-2]]:11: warning: {{.*}}'Pool::cv_'{{.*}}'Pool::admin_mu_'{{.*}} [lockgraph-wait-holding-lock]
    // CHECK-DAG: wait-holding-lock-condvar.cpp:[[@LINE-3]]:11: warning: blocking call to 'std::condition_variable::wait' while holding 'Pool::admin_mu_' [lockgraph-blocking-under-lock]
#endif
  }
  void finish() {
    std::lock_guard<std::mutex> Admin(admin_mu_);
    {
      std::lock_guard<std::mutex> G(mu_);
      idle_ = true;
    }
    cv_.notify_all();
  }

private:
  std::mutex mu_, admin_mu_;
  std::condition_variable cv_;
  bool idle_ = false;
};

void usePool(Pool &P) {
  P.drain();
  P.finish();
}

// A timed wait cannot block forever: the cycle B -> timed_cv -> B is
// suppressed (only the blocking call is reported).
std::mutex B, TM;
std::condition_variable timed_cv;
bool timed_ready = false;

void timedWaiter() {
#ifndef FIXED
  std::lock_guard<std::mutex> GB(B);
#endif
  std::unique_lock<std::mutex> L(TM);
  timed_cv.wait_for(L, std::chrono::seconds(1), [] { return timed_ready; });
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-condvar.cpp:[[@LINE-2]]:12: warning: blocking call to 'std::condition_variable::wait_for' while holding 'B' [lockgraph-blocking-under-lock]
  // SUPPRESSED: timed wait: 'timed_cv' is only waited for with a timeout while holding 'B'
#endif
}

void timedNotifier() {
  std::lock_guard<std::mutex> GB(B);
  timed_cv.notify_one();
}
