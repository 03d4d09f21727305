// A blocking call made while holding a lock, directly and through a callee
// in the same file; the fixed twin takes the lock after the call. The
// BlockingFunctions option adds a function of the project's own.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' \
// RUN:   --config='{CheckOptions: {lockgraph-blocking-under-lock.BlockingFunctions: "::fetchRemote"}}' \
// RUN:   %s -- -std=c++17 2>&1 | FileCheck %s --check-prefixes=CHECK,OPTION --implicit-check-not='warning:'
#include <mutex>
#include <unistd.h>

std::mutex g_mu;

int readByte(int fd) {
  char c = 0;
  return read(fd, &c, 1) == 1 ? c : -1;
}

int fetchRemote(int key);

int direct(int fd) {
  char c = 0;
#ifdef FIXED
  int n = read(fd, &c, 1);
  std::lock_guard<std::mutex> l(g_mu);
#else
  std::lock_guard<std::mutex> l(g_mu);
  int n = read(fd, &c, 1);
  // CHECK: blocking-under-lock.cpp:[[@LINE-1]]:11: warning: blocking call to 'read' while holding 'g_mu' [lockgraph-blocking-under-lock]
  // CHECK: blocking-under-lock.cpp:[[@LINE-3]]:31: note: 'g_mu' acquired here
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
  // CHECK: blocking-under-lock.cpp:[[@LINE-3]]:31: note: 'g_mu' acquired here
  // CHECK: blocking-under-lock.cpp:17:10: note: blocking call to 'read' here
#endif
  return c;
}

int cached(int key) {
#ifdef FIXED
  int v = fetchRemote(key);
  std::lock_guard<std::mutex> l(g_mu);
#else
  std::lock_guard<std::mutex> l(g_mu);
  int v = fetchRemote(key);
  // OPTION: blocking-under-lock.cpp:[[@LINE-1]]:11: warning: blocking call to 'fetchRemote' while holding 'g_mu' [lockgraph-blocking-under-lock]
#endif
  return v;
}
