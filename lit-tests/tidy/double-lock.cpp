// A non-recursive mutex locked twice on a path, directly or through a method
// of the same class; the fixed twins unlock in between or do not call back.
// REQUIRES: tidy-plugin
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c++17 -DFIXED 2>&1 | count 0
#include <mutex>

std::mutex g_mu;
std::recursive_mutex g_rec;

void twice() {
  g_mu.lock();
#ifdef FIXED
  g_mu.unlock();
#endif
  g_mu.lock();
#ifndef FIXED
  // CHECK: double-lock.cpp:[[@LINE-2]]:8: warning: double lock of 'g_mu': it is already held here (self-deadlock) [lockgraph-double-lock]
  // CHECK: double-lock.cpp:[[@LINE-7]]:8: note: 'g_mu' first acquired here
  g_mu.unlock();
#endif
  g_mu.unlock();
}

// A recursive mutex may be taken again.
void recursive() {
  std::lock_guard<std::recursive_mutex> a(g_rec);
  std::lock_guard<std::recursive_mutex> b(g_rec);
}

class Queue {
public:
  void push(int v) {
    std::lock_guard<std::mutex> l(mu_);
    size_ += v;
  }
  void pushTwice(int v) {
    std::lock_guard<std::mutex> l(mu_);
#ifdef FIXED
    size_ += 2 * v;
#else
    push(v);
    // CHECK: double-lock.cpp:[[@LINE-1]]:5: warning: double lock of 'Queue::mu_': 'Queue::push' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
#endif
  }

private:
  std::mutex mu_;
  int size_ = 0;
};
