// A non-recursive mutex locked twice on a path, directly or through a call.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

std::mutex g_mu;
std::recursive_mutex g_rec;

void twice(bool again) {
  g_mu.lock();
#ifdef FIXED
  g_mu.unlock();
#endif
  g_mu.lock();
#ifndef FIXED
  // CHECK: double-lock.cpp:[[@LINE-2]]:8: warning: double lock of 'g_mu': it is already held here (self-deadlock) [lockgraph-double-lock]
  // CHECK-NEXT: double-lock.cpp:[[@LINE-7]]:8: note: 'g_mu' first acquired here
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

// Two objects of one class: not the same lock, no double lock.
void pair(Queue &a, Queue &b) { a.push(1); b.push(2); }
