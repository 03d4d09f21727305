// A guard given `thread_safe_ ? &sync_ : nullptr` (libzmq's
// scoped_optional_lock_t in socket_base_t) may hold sync_: when it does not,
// the object is used by one thread only. What it covers, here and in what it
// calls, is no race on sync_, and no evidence of what guards it either
// (libzmq: the signalers of a thread-safe socket's mailbox, written under
// the optional guard, read and written under the socket's lock elsewhere).
// Twin UNGUARDED: reset() takes no guard at all: a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/optional "" %s
// RUN: %lockgraph check -p %t/optional 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unguarded "-DUNGUARDED" %s
// RUN: not %lockgraph check -p %t/unguarded 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "Inputs/optional_lock.h"
#include <mutex>

struct signalers_t {
  int count = 0;
  void add() { ++count; }
  void clear() { count = 0; }
};

class socket_t {
public:
  void add_signaler() {
    std::lock_guard<std::mutex> lock(sync_);
    signalers_.add();
  }
  void send() {
    std::lock_guard<std::mutex> lock(sync_);
    signalers_.add();
  }
  void reset() {
#ifndef UNGUARDED
    optional_lock_t lock(thread_safe_ ? &sync_ : nullptr);
#endif
    // CHECK: race-optional-guard.cpp:[[@LINE+2]]:5: warning: write to 'socket_t::signalers_' without holding 'socket_t::sync_', which guards it at 2 of 3 accesses [lockgraph-race]
    // CHECK: race-optional-guard.cpp:[[@LINE+1]]:16: warning: call to 'signalers_t::clear' writes 'socket_t::signalers_.count' without holding 'socket_t::sync_', which guards it at 2 of 3 accesses [lockgraph-race]
    signalers_.clear();
  }

private:
  std::mutex sync_;
  bool thread_safe_ = false;
  signalers_t signalers_;
};
