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
// RUN: not %lockgraph check -p %t/every 2>&1 | FileCheck %s --check-prefixes=CHECK,FLAG --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <atomic>
#include <fcntl.h>
#include <memory>
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

// The same with a smart pointer: `if (!sink_) sink_.reset(...)`, or `==
// nullptr` and operator=. A flag is no lazy initialization (POCO's
// Activity::start: `if (!_running) { _running = true; ... }` runs at every
// start after a stop): in twin EVERY, a std::atomic<bool> flag.
struct Sink {
  explicit Sink(const char *name) : fd(open(name, O_WRONLY)) {}
  int fd;
};

struct Logger {
  std::mutex mu;
  std::unique_ptr<Sink> sink_, spare_;
  std::atomic<bool> running_{false};

  void start() {
    std::lock_guard<std::mutex> g(mu);
#if defined(EVERY)
    sink_.reset(new Sink("/dev/null"));
    if (!running_) {
      running_ = true;
      spare_.reset(new Sink("/dev/null"));
    }
#elif defined(OTHER)
    if (!spare_)
      sink_.reset(new Sink("/dev/null"));
#else
    if (!sink_)
      sink_.reset(new Sink("/dev/null"));
    if (spare_ == nullptr)
      spare_ = std::unique_ptr<Sink>(new Sink("/dev/null"));
#endif
  }
};

int main() {
  Log l;
  l.start();
  Logger g;
  g.start();
}

// CHECK-DAG: blocking-lazy-init.cpp:{{31|35}}:{{[0-9]+}}: warning: blocking call to 'fopen' while holding 'Log::mu' [lockgraph-blocking-under-lock]
// CHECK-DAG: blocking-lazy-init.cpp:{{32|36}}:{{[0-9]+}}: warning: call to 'Log::openDescriptor' may block in 'open' while holding 'Log::mu' [lockgraph-blocking-under-lock]
// CHECK-DAG: blocking-lazy-init.cpp:{{64|71}}:{{[0-9]+}}: warning: call to 'Sink::Sink' may block in 'open' while holding 'Logger::mu' [lockgraph-blocking-under-lock]
// FLAG-DAG: blocking-lazy-init.cpp:67:24: warning: call to 'Sink::Sink' may block in 'open' while holding 'Logger::mu' [lockgraph-blocking-under-lock]
