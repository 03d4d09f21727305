// Accesses made in callees count at their callers' call sites, with the
// locks the callers hold: a private helper that writes a field is guarded
// when two callers hold the lock, and reported at the call site of the third,
// which does not. Holding this object's lock does not guard another object's
// field.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

class Queue {
public:
  void push(int v) {
    std::lock_guard<std::mutex> l(mu_);
    pushLocked(v);
  }
  void pushAll(const int *v, int n) {
    std::lock_guard<std::mutex> l(mu_);
    for (int i = 0; i < n; ++i)
      pushLocked(v[i]);
  }
  void pushFast(int v) {
#ifdef FIXED
    std::lock_guard<std::mutex> l(mu_);
#endif
    pushLocked(v);
#ifndef FIXED
    // CHECK: race-through-call.cpp:[[@LINE-2]]:5: warning: call to 'Queue::pushLocked' writes 'Queue::size_' without holding 'Queue::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
    // CHECK-NEXT: race-through-call.cpp:[[@LINE+7]]:5: note: write to 'Queue::size_' here
    // CHECK-NEXT: race-through-call.cpp:[[@LINE+6]]:5: note: 'Queue::size_' written here holding 'Queue::mu_'
#endif
  }

private:
  void pushLocked(int v) {
    size_ += v > 0 ? 1 : 0;
  }
  std::mutex mu_;
  int size_ = 0;
};

class Account {
public:
  void deposit(int v) {
    std::lock_guard<std::mutex> l(mu_);
    balance_ += v;
  }
  void transferTo(Account &to, int v) {
    std::lock_guard<std::mutex> l(mu_);
    balance_ -= v;
#ifdef FIXED
    to.deposit(v);
#else
    to.balance_ += v;
    // CHECK: race-through-call.cpp:[[@LINE-1]]:8: warning: write to 'Account::balance_' without holding 'Account::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
#endif
  }

private:
  std::mutex mu_;
  int balance_ = 0;
};
