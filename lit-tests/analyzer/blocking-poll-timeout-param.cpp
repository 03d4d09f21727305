// poll() with a timeout of 0 returns at once. libzmq's process_commands(0)
// only checks for commands, passing its timeout down through the mailbox to
// the signaler's poll: under a lock it blocks nothing, and the blocking
// chain shown for a caller that waits (-1) goes through the call that
// waits, not through one that polls. A literal 0 is no blocking call
// either. WAITS: the lock is held around a waiting call: reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/polls "" %s
// RUN: %lockgraph check -p %t/polls 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/waits "-DWAITS" %s
// RUN: not %lockgraph check -p %t/waits 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <poll.h>

struct Signaler {
  int fd = -1;
  int wait(int timeout) const {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, timeout);
  }
};

struct Mailbox {
  Signaler sig;
  int recv(int timeout) { return sig.wait(timeout); }
};

struct Sock {
  std::mutex monitor_sync;
  Mailbox mailbox;
  int process_commands(int timeout) { return mailbox.recv(timeout); }
  int send(int timeout) {
    int rc = process_commands(0);
    if (rc == 0)
      return rc;
    return process_commands(timeout);
  }
  void event() {
    std::lock_guard<std::mutex> g(monitor_sync);
    process_commands(0);
    pollfd p{-1, POLLIN, 0};
    poll(&p, 1, 0);
#ifdef WAITS
    send(-1);
#endif
  }
};

int main() {
  Sock s;
  s.event();
}

// CHECK: blocking-poll-timeout-param.cpp:43:5: warning: call to 'Sock::send' may block in 'poll' while holding 'Sock::monitor_sync' [lockgraph-blocking-under-lock]
// CHECK-NEXT: blocking-poll-timeout-param.cpp:38:33: note: 'Sock::monitor_sync' acquired here
// CHECK-NEXT: blocking-poll-timeout-param.cpp:18:12: note: blocking call to 'poll' here
// CHECK-NEXT: blocking-poll-timeout-param.cpp:24:38: note: 'Signaler::wait' called here
// CHECK-NEXT: blocking-poll-timeout-param.cpp:30:54: note: 'Mailbox::recv' called here
// CHECK-NEXT: blocking-poll-timeout-param.cpp:35:12: note: 'Sock::process_commands' called here
