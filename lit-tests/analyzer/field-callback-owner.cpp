// A method that calls a callback field of its own object calls, on another
// object's member, what was stored into that member's field -- not what
// other owners stored into theirs. spdlog's file_helper event handlers are
// set on one sink type (here PlainSink, outside any lock) and called under
// another sink's mutex (LockedSink, which stores none): no cycle, no double
// lock. OWN_HANDLER: LockedSink stores a handler that takes g_tracer into its
// own helper: the cycle is real and reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/other "" %s
// RUN: %lockgraph check -p %t/other 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/own "-DOWN_HANDLER" %s
// RUN: not %lockgraph check -p %t/own 2>&1 | FileCheck %s
#include <functional>
#include <mutex>

std::mutex g_tracer;

struct Helper {
  std::function<void()> cb;
  void open() {
    if (cb)
      cb();
  }
};

struct PlainSink {
  Helper h;
  explicit PlainSink(std::function<void()> f) {
    h.cb = std::move(f);
    h.open();
  }
};

struct LockedSink {
  std::mutex m;
  Helper h;
#ifdef OWN_HANDLER
  LockedSink() {
    h.cb = [] { std::lock_guard<std::mutex> g(g_tracer); };
  }
#endif
  void log() {
    std::lock_guard<std::mutex> g(m);
    h.open();
  }
};

LockedSink g_sink;

void dump() {
  std::lock_guard<std::mutex> g(g_tracer);
  g_sink.log();
}

void setup() {
  PlainSink s([] { std::lock_guard<std::mutex> g(g_tracer); });
}

// CHECK-DAG: field-callback-owner.cpp:38:45: warning: potential deadlock: lock order cycle LockedSink::m -> g_tracer -> LockedSink::m [lockgraph-lock-order]
// CHECK-DAG: field-callback-owner.cpp:51:10: warning: double lock of 'g_tracer': 'LockedSink::log' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
