// A constant argument rules out a callee's call guarded by it also when it
// is the right operand of `&&`: libzmq's stop_monitor(false) only forgets
// the monitor socket, as `if ((_monitor_events & E) && send_stopped_event_)`
// skips the blocking send. SENDS: stop_monitor(true) under the lock is
// reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/quiet "" %s
// RUN: %lockgraph check -p %t/quiet 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/sends "-DSENDS" %s
// RUN: not %lockgraph check -p %t/sends 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <poll.h>

struct Sock {
  std::mutex monitor_sync;
  unsigned long monitor_events = 0;
  Sock *monitor_socket = nullptr;
  int fd = -1;
  void wait_cmd() {
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, -1);
  }
  void send_event() { monitor_socket->wait_cmd(); }
  void stop_monitor(bool send_stopped_event) {
    if (monitor_socket) {
      if ((monitor_events & 1024) && send_stopped_event)
        send_event();
      monitor_socket = nullptr;
    }
  }
  void monitor() {
    std::lock_guard<std::mutex> g(monitor_sync);
#ifdef SENDS
    stop_monitor(true);
#else
    stop_monitor(false);
#endif
  }
};

int main() {
  Sock s;
  s.monitor();
}

// CHECK: const-arg-and-rhs.cpp:33:5: warning: call to 'Sock::stop_monitor' may block in 'poll' while holding 'Sock::monitor_sync' [lockgraph-blocking-under-lock]
