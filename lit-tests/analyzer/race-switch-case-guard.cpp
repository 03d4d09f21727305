// An access made only in one case of a switch on a parameter is not made by
// a call that passes another case's constant: libzmq's socket constructor
// asks its context for ZMQ_IPV6 and ZMQ_BLOCKY through ctx_t::get, whose
// ZMQ_MAX_SOCKETS case reads a field guarded by opt_sync elsewhere; those
// calls read nothing of it. READS_MAX: a call that asks for MAX_SOCKETS
// reads it unguarded, and is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/other "" %s
// RUN: %lockgraph check -p %t/other 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/max "-DREADS_MAX" %s
// RUN: not %lockgraph check -p %t/max 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>

enum { MAX_SOCKETS = 1, IPV6 = 42, BLOCKY = 70 };

class Ctx {
public:
  void set_max(int v) {
    std::lock_guard<std::mutex> g(opt_sync);
    max_sockets = v;
  }
  int get(int option) {
    switch (option) {
    case MAX_SOCKETS:
      return max_sockets;
    case IPV6:
      return ipv6;
    case BLOCKY:
      return blocky;
    }
    return -1;
  }
  void create_socket();

private:
  void start() {
    std::lock_guard<std::mutex> g(opt_sync);
    slots = max_sockets + 2;
  }
  std::mutex opt_sync, slot_sync;
  int max_sockets = 1023, ipv6 = 0, blocky = 1, slots = 0;
};

struct Socket {
  bool ipv6, blocky;
  int max = 0;
  explicit Socket(Ctx *parent)
      : ipv6(parent->get(IPV6) != 0), blocky(parent->get(BLOCKY) != 0) {
#ifdef READS_MAX
    max = parent->get(MAX_SOCKETS);
#endif
  }
};

void Ctx::create_socket() {
  std::lock_guard<std::mutex> g(slot_sync);
  start();
  Socket s(this);
}

int main() {
  Ctx c;
  c.create_socket();
  c.set_max(10);
}

// CHECK: race-switch-case-guard.cpp:57:10: warning: call to 'Socket::Socket' reads 'Ctx::max_sockets' without holding 'Ctx::opt_sync', which guards it at 2 of 3 accesses [lockgraph-race]
// CHECK-NEXT: race-switch-case-guard.cpp:24:14: note: read of 'Ctx::max_sockets' here
// CHECK-NEXT: race-switch-case-guard.cpp:49:19: note: 'Ctx::get' called here
