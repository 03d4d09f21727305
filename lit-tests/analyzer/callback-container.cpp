// Callbacks kept in a container member run where the container's elements
// are called: Registry::notify() calls every callback in callbacks_
// holding mu_ (through a range-for variable, and by index in
// notify_first()), and the callback watch() adds takes state_mu, which
// audit() holds while it asks the registry for its size: a cycle only
// visible through the container. The fixed notify (FIXED) copies the
// callbacks under the lock and calls them after unlocking.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

class Registry {
public:
  void add(std::function<void()> cb) {
    std::lock_guard<std::mutex> lock(mu_);
    callbacks_.push_back(std::move(cb));
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return callbacks_.size();
  }
  void notify() {
#ifndef FIXED
    std::lock_guard<std::mutex> lock(mu_);
    for (auto &cb : callbacks_)
      cb();
#else
    std::vector<std::function<void()>> copy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      copy = callbacks_;
    }
    for (auto &cb : copy)
      cb();
#endif
  }
  void notify_first() {
#ifndef FIXED
    std::lock_guard<std::mutex> lock(mu_);
    if (!callbacks_.empty())
      callbacks_[0]();
#endif
  }

private:
  std::mutex mu_;
  std::vector<std::function<void()>> callbacks_;
};

std::mutex state_mu;
int state;

void watch(Registry &r) {
  r.add([] {
    std::lock_guard<std::mutex> lock(state_mu);
    ++state;
  });
}

std::size_t audit(Registry &r) {
  std::lock_guard<std::mutex> lock(state_mu);
  return r.size();
}
// Both calls, through the range-for variable and by index, make the edge.
// CHECK: callback-container.cpp:60:33: warning: potential deadlock: lock order cycle Registry::mu_ -> state_mu -> Registry::mu_ [lockgraph-lock-order]
// CHECK-NEXT: callback-container.cpp:29:33: note: 'Registry::mu_' acquired here
// CHECK-NEXT: callback-container.cpp:60:33: note: 'state_mu' acquired here while holding 'Registry::mu_' (seen 2 times)
// CHECK-NEXT: callback-container.cpp:31:7: note: 'watch::lambda' called here
// CHECK-NEXT: callback-container.cpp:66:31: note: 'state_mu' acquired here
// CHECK-NEXT: callback-container.cpp:24:33: note: 'Registry::mu_' acquired here while holding 'state_mu'
