// A function that checks its condition, waits once and checks it again,
// returning failure to a caller that retries, handles spurious wake-ups:
// libzmq's mailbox_safe_t::recv reads its pipe, waits (through a wrapper),
// reads it again and returns EAGAIN. ONCE: the same waits followed by a use
// of the queue without the re-check are reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/recheck "" %s
// RUN: %lockgraph check -p %t/recheck 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/once "-DONCE" %s
// RUN: not %lockgraph check -p %t/once 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>

class Mailbox {
public:
  int recv(int *c) {
    std::unique_lock<std::mutex> lock(sync);
    if (queue.empty()) {
      cond.wait(lock);
#ifndef ONCE
      if (queue.empty()) {
        errno = EAGAIN;
        return -1;
      }
#endif
    }
    *c = queue.front();
    queue.pop_front();
    return 0;
  }

  int recv_through_wrapper(int *c) {
    std::unique_lock<std::mutex> lock(sync);
    if (read(c))
      return 0;
    wait(lock);
#ifdef ONCE
    *c = queue.front();
    queue.pop_front();
    return 0;
#else
    const bool ok = read(c);
    if (!ok) {
      errno = EAGAIN;
      return -1;
    }
    return 0;
#endif
  }

private:
  std::mutex sync;
  std::condition_variable cond;
  std::deque<int> queue;

  void wait(std::unique_lock<std::mutex> &lock) { cond.wait(lock); }
  bool read(int *c) {
    if (queue.empty())
      return false;
    *c = queue.front();
    queue.pop_front();
    return true;
  }
};

int get(Mailbox &m) {
  int c = 0;
  m.recv(&c);
  m.recv_through_wrapper(&c);
  return c;
}

// CHECK: cond-wait-recheck-after.cpp:20:12: warning: 'std::condition_variable::wait' on 'Mailbox::cond' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
// CHECK-NEXT: cond-wait-recheck-after.cpp:19:5: note: the condition is checked once here, and not again after the wait returns
// CHECK: cond-wait-recheck-after.cpp:37:5: warning: 'Mailbox::wait' waits on 'Mailbox::cond' with no check around the wait
