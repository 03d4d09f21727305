// Unlocking a lock that is not held on the path, or that a guard owns.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

std::mutex g_mu;
int g_value;

void twice() {
  g_mu.lock();
  g_value = 1;
  g_mu.unlock();
#ifndef FIXED
  g_mu.unlock();
  // CHECK: unlock-unheld.cpp:[[@LINE-1]]:8: warning: unlock of 'g_mu' which is not held on this path [lockgraph-unlock-unheld]
#endif
}

void underGuard() {
  std::lock_guard<std::mutex> guard(g_mu);
  g_value = 2;
#ifndef FIXED
  g_mu.unlock();
  // CHECK: unlock-unheld.cpp:[[@LINE-1]]:8: warning: unlock of 'g_mu' owned by 'guard', which will unlock it again at the end of its scope [lockgraph-unlock-unheld]
  // CHECK-NEXT: unlock-unheld.cpp:[[@LINE-5]]:31: note: 'guard' declared here
#endif
}

void uniqueTwice() {
  std::unique_lock<std::mutex> lk(g_mu);
  lk.unlock();
#ifndef FIXED
  lk.unlock();
  // CHECK: unlock-unheld.cpp:[[@LINE-1]]:6: warning: unlock of 'g_mu' through 'lk' which does not own it on this path [lockgraph-unlock-unheld]
#endif
}

// An unlock function releases what its caller holds: not a misuse.
void unlockAll() { g_mu.unlock(); }
