// libzmq 4.3.4's suite: test_many_sockets makes ctx_t::create_socket fail,
// which destroys the half-made socket -- locking its _monitor_sync -- under
// the context's _slot_sync; test_heartbeats calls socket_base_t::monitor,
// which holds the socket's _monitor_sync and creates the monitor socket
// under _slot_sync. The first order is on a socket no other thread can
// reach; no program makes the cycle. Classes are told apart by where their
// first instance was first taken (the destructor, monitor()), not by type
// alone, so the two tests' orders do not join: no finding. SAME_PLACE: the
// second program first takes its socket's lock where the first does (in
// stopMonitor), so the two sockets' locks are one class, and the reversed
// order on it is a cycle, reported with the members' names.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: %lockgraph run -- sh -c '%t create-fails; %t monitor' 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %clangxx -DSAME_PLACE %s -o %t.same
// RUN: not %lockgraph run -- sh -c '%t.same create-fails; %t.same monitor' 2>&1 | FileCheck %s --check-prefix=CYCLE
// CLEAN: lockgraph: {{[0-9]+}} processes recorded
// CLEAN-NOT: warning:
// CYCLE: warning: potential deadlock: lock order cycle {{.*}}Context::slot_sync_ (run-lock-classes-unpublished.cpp:{{[0-9]+}}){{.*}}Socket::monitor_sync_ (run-lock-classes-unpublished.cpp:{{[0-9]+}}){{.*}} [lockgraph-lock-order]
#include <cstring>
#include <mutex>

struct Context;
struct Socket {
  std::mutex monitor_sync_;
  Context *ctx = nullptr;
  void stopMonitor() { std::lock_guard<std::mutex> g(monitor_sync_); }
  void monitor();
  ~Socket() { stopMonitor(); }
};

struct Context {
  std::mutex slot_sync_;
  Socket *createSocket(bool fail) {
    std::lock_guard<std::mutex> g(slot_sync_);
    Socket *s = new Socket;
    s->ctx = this;
    if (fail) {
      delete s;
      return nullptr;
    }
    return s;
  }
};

void Socket::monitor() {
  std::lock_guard<std::mutex> g(monitor_sync_);
  Socket *pair = ctx->createSocket(false);
  delete pair;
}

int main(int argc, char **argv) {
  Context ctx;
  if (argc > 1 && !strcmp(argv[1], "create-fails")) {
    ctx.createSocket(true);
  } else {
    Socket *s = ctx.createSocket(false);
#ifdef SAME_PLACE
    s->stopMonitor();
#endif
    s->monitor();
    delete s;
  }
  return 0;
}
