// Condition-variable waits without a predicate that are not in a loop that
// re-checks the condition. The fixed twin loops (or uses the predicate
// overload) and must stay silent.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | FileCheck %s --check-prefix=FIXED --implicit-check-not=warning:
// FIXED: 0 findings (1 more ruled out
// RUN: %lockgraph check -p %t/fixed --show-suppressed 2>&1 | FileCheck %s --check-prefix=SUPPRESSED
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

std::mutex mu;
std::condition_variable cv;
std::condition_variable_any cv_any;
std::deque<int> jobs;
bool done = false;

// One check, then the wake-up is trusted.
int takeOne() {
  std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
  while (jobs.empty())
    cv.wait(L);
#else
  if (jobs.empty())
    cv.wait(L);
  // CHECK: cond-wait-no-loop.cpp:[[@LINE-1]]:8: warning: 'std::condition_variable::wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  // CHECK-NEXT: cond-wait-no-loop.cpp:[[@LINE-3]]:3: note: the condition is checked once here, and not again after the wait returns
#endif
  int J = jobs.front();
  jobs.pop_front();
  return J;
}

// Sample 06's shape: an endless loop does not re-check anything by itself;
// the wait under its own `if` is followed by code that trusts it.
int drain() {
  int N = 0;
  for (;;) {
    std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
    while (jobs.empty() && !done)
      cv.wait(L);
#else
    if (jobs.empty() && !done)
      cv.wait(L);
    // CHECK: cond-wait-no-loop.cpp:[[@LINE-1]]:10: warning: 'std::condition_variable::wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
    // CHECK-NEXT: cond-wait-no-loop.cpp:[[@LINE-3]]:5: note: the condition is checked once here
#endif
    if (jobs.empty())
      break;
    jobs.pop_front();
    ++N;
  }
  return N;
}

// An endless loop whose body checks, then waits unconditionally: after the
// wait the check runs again. Silent in both.
void waitDone() {
  std::unique_lock<std::mutex> L(mu);
  for (;;) {
    if (done)
      break;
    cv.wait(L);
  }
}

// do/while re-checks after the wait. Silent in both.
void waitDoWhile() {
  std::unique_lock<std::mutex> L(mu);
  do
    cv.wait(L);
  while (!done);
}

// The predicate overloads loop themselves. Silent in both.
void waitPredicate() {
  std::unique_lock<std::mutex> L(mu);
  cv.wait(L, [] { return done; });
  cv.wait_for(L, std::chrono::seconds(1), [] { return done; });
  cv_any.wait(L, [] { return done; });
}

// A timed wait without a predicate.
bool waitABit() {
  std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
  return cv_any.wait_for(L, std::chrono::milliseconds(10), [] { return done; });
#else
  cv_any.wait_for(L, std::chrono::milliseconds(10));
  // CHECK: cond-wait-no-loop.cpp:[[@LINE-1]]:10: warning: 'std::condition_variable_any::wait_for' on 'cv_any' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  return done;
#endif
}

// A loop around a lambda is another function's loop: it does not re-check
// anything after the lambda's wait returns. (Contrast with a wrapper such as
// waitOnce() below, called in a loop: there the caller re-checks.)
void waitInThreads() {
  for (int I = 0; I < 3; ++I) {
    std::thread T([] {
      std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
      while (!done)
#endif
        cv.wait(L);
#ifndef FIXED
      // CHECK: cond-wait-no-loop.cpp:[[@LINE-2]]:12: warning: 'std::condition_variable::wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
#endif
    });
    T.join();
  }
}

// A wait with no check around it, in a wrapper whose callers all loop:
// the callers re-check. Silent in both.
void waitOnce(std::unique_lock<std::mutex> &L) { cv.wait(L); }
void waitReady() {
  std::unique_lock<std::mutex> L(mu);
  while (!done)
    waitOnce(L);
}

// A wait wrapper (the condition variable is its parameter, as libuv's
// uv_cond_wait) called once, not in a loop: reported at that call, with the
// wait as a note (the wrapper's other callers loop).
void waitOnceOn(std::condition_variable &C, std::unique_lock<std::mutex> &L) { C.wait(L); }
void waitReadyLooping() {
  std::unique_lock<std::mutex> L(mu);
  while (!done)
    waitOnceOn(cv, L);
}
void waitReadyOnce() {
  std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
  while (!done)
#else
  if (!done)
#endif
    waitOnceOn(cv, L);
  // CHECK: cond-wait-no-loop.cpp:[[@LINE-1]]:5: warning: 'waitOnceOn' waits on 'cv' with no check around the wait, and is not called in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  // CHECK-NEXT: cond-wait-no-loop.cpp:[[@LINE-15]]:82: note: the wait is here
}

// An endless loop whose `if` chain is all that runs between the wait and the
// next iteration re-checks every condition (leveldb's MakeRoomForWrite), as
// does one that continues right after the wait. Silent in both.
int pending;
void makeRoom() {
  std::unique_lock<std::mutex> L(mu);
  while (true) {
    if (done) {
      break;
    } else if (pending > 0) {
      cv.wait(L);
    } else {
      ++pending;
    }
  }
}
void takeWhenReady() {
  std::unique_lock<std::mutex> L(mu);
  for (;;) {
    if (pending == 0 && !done) {
      cv.wait(L);
      continue;
    }
    --pending;
    return;
  }
}

// In an endless loop, a wait followed only by releasing the lock and
// `continue` re-checks on the next iteration (pbzip2's fileWriter). Work
// between them acts on the condition unchecked.
void drainWhenReady() {
  std::unique_lock<std::mutex> L(mu, std::defer_lock);
  for (;;) {
    L.lock();
    if (pending == 0 && !done) {
      cv.wait(L);
#ifndef FIXED
      --pending;
#endif
      L.unlock();
      continue;
    }
    --pending;
    L.unlock();
    return;
  }
}
// CHECK: cond-wait-no-loop.cpp:[[@LINE-12]]:10: warning: 'std::condition_variable::wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
// CHECK-NEXT: cond-wait-no-loop.cpp:[[@LINE-14]]:5: note: the condition is checked once here, and not again after the wait returns

// Suppressed where the user judged it fine. Silent in both.
void waitOnceHere() {
  std::unique_lock<std::mutex> L(mu);
  cv.wait(L); // NOLINT(lockgraph-cond-wait-no-loop)
  // SUPPRESSED: cond-wait-no-loop.cpp:[[@LINE-1]]:6: warning: 'std::condition_variable::wait' on 'cv' is not in a loop
}

void notifyAll() {
  {
    std::lock_guard<std::mutex> G(mu);
    done = true;
  }
  cv.notify_all();
  cv_any.notify_all();
}
