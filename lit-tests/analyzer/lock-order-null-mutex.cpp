// A class whose lock() and unlock() do nothing (spdlog's null_mutex, for
// the single-threaded sinks of a template written for a lock) is no lock: a
// guard over it holds nothing, and the reversed order through the
// single-threaded sink is no cycle. Twin REAL: the same code with the
// multi-threaded sink is a cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/null "" %s
// RUN: %lockgraph check -p %t/null 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/real "-DREAL" %s
// RUN: not %lockgraph check -p %t/real 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <thread>

struct null_mutex {
  void lock() const {}
  void unlock() const {}
};

template <typename Mutex> struct sink {
  Mutex m;
  void log();
};

std::mutex registry;

template <typename Mutex> void sink<Mutex>::log() {
  std::lock_guard<Mutex> g(m);
  std::lock_guard<std::mutex> r(registry);
}

sink<null_mutex> single;
sink<std::mutex> shared;

#if defined(REAL)
#define REVERSED shared
#else
#define REVERSED single
#endif

void flushAll() {
  std::lock_guard<std::mutex> r(registry);
  std::unique_lock<decltype(REVERSED.m)> g(REVERSED.m);
}

int main() {
  std::thread a([] { shared.log(); }), b(flushAll);
  a.join();
  b.join();
}

// CHECK: warning: potential deadlock: lock order cycle registry -> sink::m -> registry [lockgraph-lock-order]
