// A lock reached through a range-for variable is another object's on each
// iteration: it is named by its class (Sink::mu_), not by the loop variable
// or its hidden iterator (spdlog's 'logger::sink_it_::__begin1.mutex_'),
// which made two loops over sinks look like two distinct locks taken in both
// orders. Sinks nested in a dist sink lock the same class: no order between
// distinct named locks, so no cycle. Twin NAMED: two named sinks taken in
// both orders are a cycle.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/loop "" %s
// RUN: %lockgraph check -p %t/loop 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/named "-DNAMED" %s
// RUN: not %lockgraph check -p %t/named 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct Sink {
  std::mutex mu_;
  int written_ = 0;
  virtual ~Sink() = default;
  virtual void write() { ++written_; }
  void log() {
    std::lock_guard<std::mutex> G(mu_);
    write();
  }
};

struct Logger {
  std::vector<std::shared_ptr<Sink>> sinks_;
  void log() {
    for (auto &S : sinks_)
      S->log();
  }
};

// Forwards every message to its own sinks, and to a logger (an error
// channel) for each.
struct DistSink : Sink {
  std::vector<std::shared_ptr<Sink>> sinks_;
  Logger *errors_ = nullptr;
  void write() override {
    for (auto &S : sinks_) {
      S->log();
      errors_->log();
    }
  }
};

#ifdef NAMED
Sink g_audit, g_trace;
void audit_then_trace() {
  std::lock_guard<std::mutex> A(g_audit.mu_);
  std::lock_guard<std::mutex> T(g_trace.mu_); // CHECK: range-for-element-locks.cpp:[[@LINE]]:{{[0-9]+}}: warning: potential deadlock: lock order cycle g_audit.mu_ -> g_trace.mu_ -> g_audit.mu_ [lockgraph-lock-order]
}
void trace_then_audit() {
  std::lock_guard<std::mutex> T(g_trace.mu_);
  std::lock_guard<std::mutex> A(g_audit.mu_);
}
#endif

int main() {
  Logger L;
  auto D = std::make_shared<DistSink>();
  D->errors_ = &L;
  D->sinks_.push_back(std::make_shared<Sink>());
  L.sinks_.push_back(D);
  std::thread A([&] { L.log(); });
  std::thread B([&] { D->log(); });
#ifdef NAMED
  std::thread C(audit_then_trace), E(trace_then_audit);
  C.join();
  E.join();
#endif
  A.join();
  B.join();
}
