// A guard that locks the mutex it is given unless it is given none (libzmq's
// scoped_optional_lock_t: `if (_mutex != NULL) _mutex->lock ();`) holds the
// mutex for its scope when it is given an address (`&mu`), as peer.cpp does.
// (Given `c ? &mu : NULL`, which the analysis cannot decide, it holds nothing.)
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include "Inputs/optional_lock.h"
#include <mutex>

// CHECK: warning: potential deadlock: lock order cycle a_mu -> b_mu -> a_mu [lockgraph-lock-order]
// CHECK: optional-guard.cpp:{{[0-9]+}}:19: note: 'a_mu' acquired here

std::mutex a_mu, b_mu;
int shared;

void first() {
  optional_lock_t a(&a_mu);
  std::lock_guard<std::mutex> b(b_mu);
  ++shared;
}

void second() {
#ifdef FIXED
  optional_lock_t a(&a_mu);
  std::lock_guard<std::mutex> b(b_mu);
#else
  std::lock_guard<std::mutex> b(b_mu);
  optional_lock_t a(&a_mu);
#endif
  ++shared;
}
