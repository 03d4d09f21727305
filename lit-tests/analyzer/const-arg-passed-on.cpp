// A constant argument holds down a chain of functions that pass the
// parameter on unchanged: libzmq's monitor() sets ZMQ_LINGER through
// zmq_setsockopt -> socket_base_t::setsockopt -> options_t::setsockopt,
// whose switch sleeps only in its ZMQ_TCP_ACCEPT_FILTER case. FILTER: the
// call that sets the filter under the lock is reported, through the chain.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/linger "" %s
// RUN: %lockgraph check -p %t/linger 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/filter "-DFILTER" %s
// RUN: not %lockgraph check -p %t/filter 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <unistd.h>

enum { LINGER = 17, ACCEPT_FILTER = 38 };

struct Options {
  int linger = 0;
  int resolve_filter() {
    usleep(1000);
    return 0;
  }
  int setsockopt(int option, int value) {
    switch (option) {
    case LINGER:
      linger = value;
      return 0;
    case ACCEPT_FILTER:
      return resolve_filter();
    }
    return -1;
  }
};

struct Sock {
  std::mutex monitor_sync;
  Options options;
  Sock *monitor_socket = nullptr;
  int setsockopt(int option, int value) { return options.setsockopt(option, value); }
  void monitor();
};

int api_setsockopt(void *s, int option, int value) {
  return static_cast<Sock *>(s)->setsockopt(option, value);
}

void Sock::monitor() {
  std::lock_guard<std::mutex> g(monitor_sync);
  api_setsockopt(monitor_socket, LINGER, 0);
#ifdef FILTER
  api_setsockopt(monitor_socket, ACCEPT_FILTER, 0);
#endif
}

int main() {
  Sock s;
  s.monitor();
}

// CHECK: const-arg-passed-on.cpp:49:3: warning: call to 'api_setsockopt' may block in 'usleep' while holding 'Sock::monitor_sync' [lockgraph-blocking-under-lock]
// CHECK-NEXT: const-arg-passed-on.cpp:46:31: note: 'Sock::monitor_sync' acquired here
// CHECK-NEXT: const-arg-passed-on.cpp:18:5: note: blocking call to 'usleep' here
// CHECK-NEXT: const-arg-passed-on.cpp:27:14: note: 'Options::resolve_filter' called here
// CHECK-NEXT: const-arg-passed-on.cpp:37:58: note: 'Options::setsockopt' called here
// CHECK-NEXT: const-arg-passed-on.cpp:42:34: note: 'Sock::setsockopt' called here
