// Waiting on a condition variable while holding a lock that the notifier
// needs before it can notify: the waiter's A -> cv edge and the notifier's
// cv -> A edge close a cycle through the wait node (wait-holding-lock).
// The notifier "needs" A when it holds A at the notify, or took A since it
// last notified (history). Every run is sequenced so that it cannot hang:
// the notifier that takes A runs first; the wait is ended by main, which
// holds nothing but the cv's own mutex.
// Twins: the waiter releases A before waiting, or holds only the cv's mutex
// (which the wait releases): silent. A timed wait cannot block forever: the
// cycle is found but suppressed (only the blocking call is reported).
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: env LD_PRELOAD=%preload %t history 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t held 2>&1 | FileCheck %s --check-prefix=HELD
// RUN: env LD_PRELOAD=%preload %t released 2>&1 | count 0
// RUN: env LD_PRELOAD=%preload %t only-m 2>&1 | count 0
// RUN: env LD_PRELOAD=%preload %t timed 2>&1 | FileCheck %s --check-prefix=TIMED
// RUN: not %lockgraph run --show-suppressed -- %t timed 2>&1 | FileCheck %s --check-prefix=TIMED-TOOL
// RUN: not %lockgraph run -- %t history 2>&1 | FileCheck %s --check-prefix=TOOL
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex g_a;  // taken by the notifier before it notifies
std::mutex g_m;  // the condition variable's own mutex
std::condition_variable g_cv;
bool g_ready, g_waiting;
long g_stats;
const char *g_mode = "history";

static bool mode(const char *M) { return strcmp(g_mode, M) == 0; }

// Phase 1: with nobody waiting yet, a notifier that needs g_a.
static void notifier() {
  if (mode("held")) {
    std::lock_guard<std::mutex> A(g_a);
    std::lock_guard<std::mutex> L(g_m);
    g_cv.notify_one();
    return;
  }
  {
    std::lock_guard<std::mutex> A(g_a);
    ++g_stats;
  }
  {
    std::lock_guard<std::mutex> L(g_m);
  }
  g_cv.notify_one();
}

// Phase 2: the waiter.
static void waiter() {
  std::unique_lock<std::mutex> A(g_a, std::defer_lock);
  if (!mode("only-m"))
    A.lock();
  if (mode("released"))
    A.unlock();
  std::unique_lock<std::mutex> L(g_m);
  g_waiting = true;
  if (mode("timed"))
    g_cv.wait_for(L, std::chrono::seconds(60), [] { return g_ready; });
  else
    g_cv.wait(L, [] { return g_ready; });
}

int main(int argc, char **argv) {
  if (argc > 1)
    g_mode = argv[1];
  std::thread N(notifier);
  N.join();
  std::thread W(waiter);
  // The waiter sets g_waiting under g_m and releases g_m only by waiting:
  // once g_waiting is seen under g_m, it waits.
  for (;;) {
    std::unique_lock<std::mutex> L(g_m);
    if (g_waiting) {
      g_ready = true;
      break;
    }
    L.unlock();
    usleep(1000);
  }
  g_cv.notify_all();
  W.join();
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'pthread_cond_wait' while holding a lock
// CHECK: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// CHECK-NEXT: Cycle in lock and wait graph: g_a (0x{{[0-9a-f]+}}) => g_cv => g_a
// CHECK: Thread T{{[0-9]+}} waits on condition variable g_cv here while holding g_a:
// CHECK: #{{[0-9]+}} waiter() {{.*}}cv-wait-holding-lock.cpp:66
// CHECK: Lock g_a previously acquired by the same thread here:
// CHECK: #{{[0-9]+}} waiter() {{.*}}cv-wait-holding-lock.cpp:58
// CHECK: Lock g_a acquired here by a notifier of g_cv (thread T{{[0-9]+}}):
// CHECK: #{{[0-9]+}} notifier() {{.*}}cv-wait-holding-lock.cpp:45
// CHECK: Condition variable g_cv notified by the same thread here:
// CHECK: #{{[0-9]+}} notifier() {{.*}}cv-wait-holding-lock.cpp:51
// CHECK: SUMMARY: lockgraph: wait-holding-lock {{.*}}cv-wait-holding-lock.cpp:66:{{[0-9]+}} in waiter()
// CHECK-NOT: WARNING

// HELD: WARNING: lockgraph: wait while holding a lock (potential deadlock)
// HELD-NEXT: Cycle in lock and wait graph: g_a (0x{{[0-9a-f]+}}) => g_cv => g_a
// HELD: Lock g_a acquired here by a notifier of g_cv (thread T{{[0-9]+}}):
// HELD: #{{[0-9]+}} notifier() {{.*}}cv-wait-holding-lock.cpp:39
// HELD: Condition variable g_cv notified by the same thread here:
// HELD: #{{[0-9]+}} notifier() {{.*}}cv-wait-holding-lock.cpp:41

// TIMED: WARNING: lockgraph: blocking call 'pthread_cond_clockwait' while holding a lock
// TIMED-NOT: wait while holding a lock

// TIMED-TOOL: warning: potential deadlock: waiting on condition variable 'g_cv' while holding 'g_a', which its notifier acquires: cycle g_a -> g_cv -> g_a [lockgraph-wait-holding-lock]
// TIMED-TOOL: note: not reported: timed wait: 'g_cv' is only waited for with a timeout while holding 'g_a', which cannot block forever

// TOOL: cv-wait-holding-lock.cpp:66:{{[0-9]+}}: warning: potential deadlock: waiting on condition variable 'g_cv' while holding 'g_a', which its notifier acquires: cycle g_a -> g_cv -> g_a [lockgraph-wait-holding-lock]
