// A lock still held on one path out of the function; the fixed twin unlocks
// on every path.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
#include <mutex>

std::mutex g_mu;
int g_value;

int update(bool early) {
  g_mu.lock();
  if (early) {
#ifdef FIXED
    g_mu.unlock();
#endif
    return -1;
    // CHECK: missing-unlock.cpp:[[@LINE-1]]:5: warning: 'g_mu' is still held when 'update' returns on this path [lockgraph-missing-unlock]
    // CHECK: missing-unlock.cpp:[[@LINE-7]]:8: note: 'g_mu' acquired here
  }
  g_value = 1;
  g_mu.unlock();
  return 0;
}
