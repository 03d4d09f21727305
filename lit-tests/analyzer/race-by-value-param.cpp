// A parameter passed by value is the function's own copy, as a local is:
// writing its fields is no race (spdlog's `backtracer::operator=(backtracer
// other)` moves from `other.messages_` under its own lock, not other's).
// Twin BYREF: `other` is a reference to another object, whose count_ is
// written without that object's lock: a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/byvalue "" %s
// RUN: %lockgraph check -p %t/byvalue 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/byref "-DBYREF" %s
// RUN: not %lockgraph check -p %t/byref 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>

class Tracer {
public:
  Tracer() = default;
  Tracer(const Tracer &other) : count_(other.count_) {}
  void add(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ += n;
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
#ifdef BYREF
  void take(Tracer &other) {
#else
  void take(Tracer other) {
#endif
    std::lock_guard<std::mutex> lock(mu_);
    count_ = other.count_;
    // CHECK: race-by-value-param.cpp:[[@LINE+1]]:11: warning: write to 'Tracer::count_' without holding 'Tracer::mu_', which guards it at 3 of 5 accesses [lockgraph-race]
    other.count_ = 0;
  }

private:
  std::mutex mu_;
  int count_ = 0;
};
