// A field written under its mutex in two methods and without it in a third:
// the guard is inferred (held at 2 of the 3 accesses) and the unguarded write
// is reported, with notes at the guarded writes. In the fixed twin the third
// method takes the lock too.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

// Public methods of a class with a mutex member may run on any thread.
class Account {
public:
  void deposit(int v) {
    std::lock_guard<std::mutex> l(mu_);
    balance_ += v;
  }
  void withdraw(int v) {
    std::lock_guard<std::mutex> l(mu_);
    balance_ -= v;
  }
  void reset() {
#ifdef FIXED
    std::lock_guard<std::mutex> l(mu_);
#endif
    balance_ = 0;
#ifndef FIXED
    // CHECK: race-unguarded-write.cpp:[[@LINE-2]]:5: warning: write to 'Account::balance_' without holding 'Account::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
    // CHECK-NEXT: race-unguarded-write.cpp:16:5: note: 'Account::balance_' written here holding 'Account::mu_'
    // CHECK-NEXT: race-unguarded-write.cpp:20:5: note: 'Account::balance_' written here holding 'Account::mu_'
#endif
  }

private:
  std::mutex mu_;
  int balance_ = 0;
};
