// lockgraph-cond-wait-no-loop and lockgraph-wait-holding-lock in clang-tidy:
// a wait trusting one check, and a join while holding the lock the joined
// thread takes. The fixed twin loops and joins after releasing. Each check
// reports only its own findings.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-cond-wait-no-loop,lockgraph-wait-holding-lock' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-cond-wait-no-loop' %s -- -std=c++17 2>&1 | FileCheck %s --check-prefix=LOOP --implicit-check-not='warning:'
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex mu, state_mu;
std::condition_variable cv;
bool ready = false;
int state = 0;

void awaitReady() {
  std::unique_lock<std::mutex> L(mu);
#ifdef FIXED
  while (!ready)
    cv.wait(L);
#else
  if (!ready)
    cv.wait(L);
  // CHECK: wait-checks.cpp:[[@LINE-1]]:8: warning: 'std::condition_variable::wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
  // CHECK: wait-checks.cpp:[[@LINE-3]]:3: note: the condition is checked once here
  // LOOP: wait-checks.cpp:[[@LINE-3]]:8: warning: {{.*}} [lockgraph-cond-wait-no-loop]
#endif
}

void worker() {
  std::lock_guard<std::mutex> G(state_mu);
  ++state;
}

void stop() {
  std::unique_lock<std::mutex> L(state_mu);
  std::thread T(worker);
#ifdef FIXED
  L.unlock();
#endif
  T.join();
#ifndef FIXED
  // CHECK: wait-checks.cpp:[[@LINE-2]]:5: warning: {{.*}}'thread:worker'{{.*}}'state_mu'{{.*}} [lockgraph-wait-holding-lock]
#endif
}
