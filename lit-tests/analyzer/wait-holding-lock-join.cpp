// A thread joins (or waits on the future of) a thread it started while
// holding a lock that the joined thread acquires: lock A -> thread:F -> A
// in the lock graph. The fixed twin joins after releasing the lock and must
// stay silent.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <future>
#include <mutex>
#include <pthread.h>
#include <thread>

std::mutex state_mu, stats_mu, log_mu, other_mu;
int state, stats, lines;

void worker() {
  std::lock_guard<std::mutex> G(state_mu);
  ++state;
}

void stop() {
  std::unique_lock<std::mutex> L(state_mu);
  std::thread T(worker);
  state = -1;
#ifdef FIXED
  L.unlock();
#endif
  T.join();
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-2]]:5: warning: {{.*}}'thread:worker'{{.*}}'state_mu'{{.*}} [lockgraph-wait-holding-lock]
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-3]]:5: warning: blocking call to 'std::thread::join' while holding 'state_mu' [lockgraph-blocking-under-lock]
#endif
}

// A lambda entry, which takes the lock through a callee.
void bumpStats() {
  std::lock_guard<std::mutex> G(stats_mu);
  ++stats;
}

void flushStats() {
  std::unique_lock<std::mutex> L(stats_mu);
  std::thread T([] { bumpStats(); });
#ifdef FIXED
  L.unlock();
#endif
  T.join();
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-2]]:5: warning: {{.*}}'thread:lambda at wait-holding-lock-join.cpp:[[@LINE-6]]:17'{{.*}}'stats_mu'{{.*}} [lockgraph-wait-holding-lock]
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-3]]:5: warning: blocking call to 'std::thread::join' while holding 'stats_mu' [lockgraph-blocking-under-lock]
#endif
}

// pthread_create / pthread_join.
void *logEntry(void *) {
  std::lock_guard<std::mutex> G(log_mu);
  ++lines;
  return nullptr;
}

void closeLog() {
  pthread_t H;
  log_mu.lock();
  pthread_create(&H, nullptr, logEntry, nullptr);
#ifdef FIXED
  log_mu.unlock();
#endif
  pthread_join(H, nullptr);
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-2]]:3: warning: {{.*}}'thread:logEntry'{{.*}}'log_mu'{{.*}} [lockgraph-wait-holding-lock]
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-3]]:3: warning: blocking call to 'pthread_join' while holding 'log_mu' [lockgraph-blocking-under-lock]
  log_mu.unlock();
#endif
}

// std::async: waiting on the future is waiting for the thread.
int compute() {
  std::lock_guard<std::mutex> G(state_mu);
  return state;
}

int computeNow() {
  auto F = std::async(std::launch::async, compute);
#ifndef FIXED
  std::lock_guard<std::mutex> G(state_mu);
#endif
  return F.get();
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-2]]:12: warning: {{.*}}'thread:compute'{{.*}}'state_mu'{{.*}} [lockgraph-wait-holding-lock]
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-3]]:12: warning: blocking call to 'std::future::get' while holding 'state_mu' [lockgraph-blocking-under-lock]
#endif
}

// Joining while holding a lock the thread never takes is only a blocking
// call; no cycle through the thread.
void joinOther() {
#ifndef FIXED
  std::lock_guard<std::mutex> G(other_mu);
#endif
  std::thread T(worker);
  T.join();
#ifndef FIXED
  // CHECK-DAG: wait-holding-lock-join.cpp:[[@LINE-2]]:5: warning: blocking call to 'std::thread::join' while holding 'other_mu' [lockgraph-blocking-under-lock]
#endif
}
