// Blocking calls made while holding a lock, directly and through a callee.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex g_mu, g_other;
std::condition_variable g_cv;
bool g_ready = false;

int readByte(int fd) {
  char c = 0;
  return read(fd, &c, 1) == 1 ? c : -1;
}

int direct(int fd) {
  char c = 0;
#ifdef FIXED
  int n = read(fd, &c, 1);
  std::lock_guard<std::mutex> l(g_mu);
#else
  std::lock_guard<std::mutex> l(g_mu);
  int n = read(fd, &c, 1);
  // CHECK: blocking-under-lock.cpp:[[@LINE-1]]:11: warning: blocking call to 'read' while holding 'g_mu' [lockgraph-blocking-under-lock]
  // CHECK-NEXT: blocking-under-lock.cpp:[[@LINE-3]]:31: note: 'g_mu' acquired here
#endif
  return n;
}

int throughCallee(int fd) {
#ifdef FIXED
  int c = readByte(fd);
  std::lock_guard<std::mutex> l(g_mu);
#else
  std::lock_guard<std::mutex> l(g_mu);
  int c = readByte(fd);
  // CHECK: blocking-under-lock.cpp:[[@LINE-1]]:11: warning: call to 'readByte' may block in 'read' while holding 'g_mu' [lockgraph-blocking-under-lock]
  // CHECK-NEXT: blocking-under-lock.cpp:[[@LINE-3]]:31: note: 'g_mu' acquired here
  // CHECK-NEXT: blocking-under-lock.cpp:18:10: note: blocking call to 'read' here
#endif
  return c;
}

void sleepy() {
  std::unique_lock<std::mutex> l(g_mu);
#ifdef FIXED
  l.unlock();
#endif
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
#ifndef FIXED
  // CHECK: blocking-under-lock.cpp:[[@LINE-2]]:3: warning: blocking call to 'std::this_thread::sleep_for' while holding 'g_mu' [lockgraph-blocking-under-lock]
#endif
}

void joinWorker(std::thread &t) {
  std::unique_lock<std::mutex> l(g_mu);
#ifdef FIXED
  l.unlock();
#endif
  t.join();
#ifndef FIXED
  // CHECK: blocking-under-lock.cpp:[[@LINE-2]]:5: warning: blocking call to 'std::thread::join' while holding 'g_mu' [lockgraph-blocking-under-lock]
#endif
}

// Waiting releases the waited-on lock: silent. Waiting while holding
// another lock blocks with that lock held.
void waitReady() {
#ifndef FIXED
  std::lock_guard<std::mutex> other(g_other);
#endif
  std::unique_lock<std::mutex> l(g_mu);
  g_cv.wait(l, [] { return g_ready; });
#ifndef FIXED
  // CHECK: blocking-under-lock.cpp:[[@LINE-2]]:8: warning: blocking call to 'std::condition_variable::wait' while holding 'g_other' [lockgraph-blocking-under-lock]
#endif
}
