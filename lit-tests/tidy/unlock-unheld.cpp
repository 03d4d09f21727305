// Unlocking a lock that is not held on the path; the fixed twin unlocks
// once.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
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

// An unlock function releases what its caller holds: not a misuse.
void unlockAll() { g_mu.unlock(); }
