// A member whose class carries its own lock (libzmq's ctx_t::_term_mailbox,
// a mailbox_t with its mutex_t _sync) locks its own state: calling its
// methods is no access of the member, whatever lock the caller holds; what
// the methods do is. Twin UNLOCKED: mailbox::recv reads last_ without the
// mailbox's lock, which guards it in send: a race, found in the method.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/locked "" %s
// RUN: %lockgraph check -p %t/locked 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: not %lockgraph check -p %t/unlocked 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>

class mailbox {
public:
  void send(int c) {
    std::lock_guard<std::mutex> lock(sync_);
    last_ = c;
  }
  int recv() {
#ifndef UNLOCKED
    std::lock_guard<std::mutex> lock(sync_);
#endif
    return last_;
  }

private:
  std::mutex sync_;
  int last_ = 0;
};

class ctx {
public:
  void terminate() {
    std::lock_guard<std::mutex> lock(slot_sync_);
    term_mailbox_.send(1);
    ++sockets_;
  }
  void stop() {
    std::lock_guard<std::mutex> lock(slot_sync_);
    term_mailbox_.send(2);
    --sockets_;
  }
  // CHECK: race-self-locking-member.cpp:[[@LINE+1]]:37: warning: call to 'mailbox::recv' reads 'ctx::term_mailbox_.last_' without holding 'ctx::slot_sync_', which guards it at 2 of 3 accesses [lockgraph-race]
  int wait() { return term_mailbox_.recv(); }

private:
  std::mutex slot_sync_;
  mailbox term_mailbox_;
  int sockets_ = 0;
};
