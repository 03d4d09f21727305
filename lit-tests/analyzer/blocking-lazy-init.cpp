// A lazy initialization under a lock, `if (file_ == nullptr) { file_ =
// open...; }`, runs once, the first time (leveldb's first LogAndApply
// opens the MANIFEST under the database mutex, when the database is
// opened): neither the open in it nor the blocking calls of what it calls
// are blocking calls under the lock. Twin EVERY: the file is opened on
// every call, and both are. Twin OTHER: the branch tests one member and
// sets another, no lazy initialization: both are reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/lazy "" %s
// RUN: %lockgraph check -p %t/lazy 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/every "-DEVERY" %s
// RUN: not %lockgraph check -p %t/every 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <fcntl.h>
#include <mutex>
#include <stdio.h>

struct Log {
  std::mutex mu;
  FILE *file_ = nullptr;
  int fd_ = -1;
  int *other_ = nullptr;

  static int openDescriptor(const char *name) { return open(name, O_WRONLY); }

  void start() {
    std::lock_guard<std::mutex> g(mu);
#if defined(EVERY)
    file_ = fopen("/dev/null", "w");
    fd_ = openDescriptor("/dev/null");
#elif defined(OTHER)
    if (other_ == nullptr) {
      file_ = fopen("/dev/null", "w");
      fd_ = openDescriptor("/dev/null");
    }
#else
    if (file_ == nullptr) {
      file_ = fopen("/dev/null", "w");
      fd_ = openDescriptor("/dev/null");
    }
#endif
  }
};

int main() {
  Log l;
  l.start();
}

// CHECK-DAG: blocking-lazy-init.cpp:{{29|33}}:{{[0-9]+}}: warning: blocking call to 'fopen' while holding 'Log::mu' [lockgraph-blocking-under-lock]
// CHECK-DAG: blocking-lazy-init.cpp:{{30|34}}:{{[0-9]+}}: warning: call to 'Log::openDescriptor' may block in 'open' while holding 'Log::mu' [lockgraph-blocking-under-lock]
