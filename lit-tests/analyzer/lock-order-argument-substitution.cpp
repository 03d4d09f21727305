// transfer(Account&, Account&) called both ways: the two account locks are
// only told apart by substituting the arguments at each call site.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

struct Account {
  std::mutex mu;
  long balance = 0;
};

void transfer(Account &from, Account &to, long n) {
  std::lock_guard<std::mutex> a(from.mu);
  std::lock_guard<std::mutex> b(to.mu);
  // CHECK: argument-substitution.cpp:[[@LINE-1]]:31: warning: potential deadlock: lock order cycle checking.mu -> savings.mu -> checking.mu [lockgraph-lock-order]
  // CHECK-NEXT: argument-substitution.cpp:[[@LINE-3]]:31: note: 'checking.mu' acquired here
  // CHECK-NEXT: argument-substitution.cpp:[[@LINE+12]]:18: note: 'transfer' called here
  from.balance -= n;
  to.balance += n;
}

// A lock passed by reference is substituted too.
void withBoth(std::mutex &first, std::mutex &second) {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

Account checking, savings;
void payRent() { transfer(checking, savings, 100); }
#ifdef FIXED
void refund() { transfer(checking, savings, -10); }
#else
void refund() { transfer(savings, checking, 10); }
#endif

std::mutex g_a, g_b;
void one() { withBoth(g_a, g_b); }
#ifdef FIXED
void two() { withBoth(g_a, g_b); }
#else
void two() { withBoth(g_b, g_a); }
// CHECK: argument-substitution.cpp:[[@LINE-17]]:31: warning: potential deadlock: lock order cycle g_a -> g_b -> g_a [lockgraph-lock-order]
#endif
